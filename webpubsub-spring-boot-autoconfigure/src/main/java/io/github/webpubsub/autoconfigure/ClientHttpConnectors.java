package io.github.webpubsub.autoconfigure;

import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.core.ResolvableType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.ClassUtils;

/**
 * The connector of the web-client transport when {@code webpubsub.connect-timeout} is set. It is
 * built the way Boot builds the connector of its own {@code WebClient.Builder}: Boot's {@link
 * ClientHttpConnectorBuilder} bean (which carries {@code spring.http.clients.reactive.connector},
 * the shared {@link ReactorResourceFactory} and any {@code ClientHttpConnectorBuilderCustomizer})
 * applied to Boot's {@link HttpClientSettings} bean ({@code spring.http.clients.*}: SSL bundle,
 * read timeout, redirects), with only the connect timeout changed. Without Boot's HTTP client
 * module, it is a Reactor Netty connector on Boot's shared resources.
 */
final class ClientHttpConnectors {

  private static final boolean BOOT_HTTP_CLIENT_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
          ClientHttpConnectors.class.getClassLoader());

  private ClientHttpConnectors() {}

  static ClientHttpConnector withConnectTimeout(
      ListableBeanFactory beanFactory, Duration connectTimeout) {
    if (BOOT_HTTP_CLIENT_PRESENT) {
      return BootBuilder.create(beanFactory, connectTimeout);
    }
    return new ReactorClientHttpConnector(
        ReactorNettyHttpClients.create(beanFactory, connectTimeout));
  }

  /** Kept apart so that nothing loads Boot's HTTP client classes when they are absent. */
  private static final class BootBuilder {

    static ClientHttpConnector create(ListableBeanFactory beanFactory, Duration connectTimeout) {
      ClientHttpConnectorBuilder<?> builder =
          beanFactory
              .<ClientHttpConnectorBuilder<?>>getBeanProvider(
                  ResolvableType.forClass(ClientHttpConnectorBuilder.class))
              .getIfAvailable(() -> detected(beanFactory));
      return builder.build(
          ReactorNettyHttpClients.BootSettings.settings(beanFactory, connectTimeout));
    }

    /**
     * What Boot's HTTP client auto-configuration would have made, for an application that turned it
     * off: the detected connector, on the shared Reactor resources when it is Reactor Netty's.
     */
    private static ClientHttpConnectorBuilder<?> detected(ListableBeanFactory beanFactory) {
      ClassLoader classLoader =
          (beanFactory instanceof ConfigurableBeanFactory configurable)
              ? configurable.getBeanClassLoader()
              : null;
      ClientHttpConnectorBuilder<?> builder =
          ClientHttpConnectorBuilder.detect(
              (classLoader != null) ? classLoader : ClientHttpConnectors.class.getClassLoader());
      ReactorResourceFactory resources =
          beanFactory.getBeanProvider(ReactorResourceFactory.class).getIfUnique();
      if (builder instanceof ReactorClientHttpConnectorBuilder reactor && resources != null) {
        return reactor.withReactorResourceFactory(resources);
      }
      return builder;
    }
  }
}
