package io.github.webpubsub.autoconfigure;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.core.ResolvableType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.ClassUtils;
import reactor.netty.http.client.HttpClient;

/**
 * The Reactor Netty {@link HttpClient} of the reactor-netty transport, made by Boot's reactive
 * connector builder as Boot makes the connector of its own {@code WebClient.Builder}: its {@code
 * ClientHttpConnectorBuilder} bean (with every {@code ClientHttpConnectorBuilderCustomizer}, such
 * as one that sets a proxy, and Boot's shared {@link ReactorResourceFactory}) applied to its {@link
 * HttpClientSettings} ({@code spring.http.clients.*}: SSL bundle, timeouts), with {@code
 * webpubsub.connect-timeout}, when set, in place of the settings' connect timeout. The client is
 * taken from the builder by one last {@code HttpClient} customizer, after all of those applied; the
 * connector the builder wraps it in is not used, so customizers of the connector object itself
 * ({@code withCustomizer}) do not reach the template. Without that bean, or when it builds another
 * connector than Reactor Netty's, the client is made by {@link
 * ClientHttpConnectorBuilder#reactor()} on the shared resources from the same settings. The
 * transport turns redirect following off whatever the settings say.
 */
final class ReactorNettyHttpClients {

  private static final boolean BOOT_HTTP_CLIENT_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder",
          ReactorNettyHttpClients.class.getClassLoader());

  private ReactorNettyHttpClients() {}

  static HttpClient create(ListableBeanFactory beanFactory, @Nullable Duration connectTimeout) {
    ReactorResourceFactory resources =
        beanFactory.getBeanProvider(ReactorResourceFactory.class).getIfUnique();
    if (BOOT_HTTP_CLIENT_PRESENT) {
      return BootSettings.create(beanFactory, resources, connectTimeout);
    }
    HttpClient client =
        (resources != null)
            ? HttpClient.create(resources.getConnectionProvider())
                .runOn(resources.getLoopResources())
            : HttpClient.create();
    return (connectTimeout != null)
        ? client.option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        : client;
  }

  /** Kept apart so that nothing loads Boot's HTTP client classes when they are absent. */
  static final class BootSettings {

    private BootSettings() {}

    static HttpClient create(
        ListableBeanFactory beanFactory,
        @Nullable ReactorResourceFactory resources,
        @Nullable Duration connectTimeout) {
      AtomicReference<@Nullable HttpClient> built = new AtomicReference<>();
      connectorBuilder(beanFactory, resources)
          .withHttpClientCustomizer(
              (client) -> {
                built.set(client);
                return client;
              })
          .build(settings(beanFactory, connectTimeout));
      HttpClient client = built.get();
      if (client == null) {
        throw new IllegalStateException("Boot's connector builder made no Reactor Netty client");
      }
      return client;
    }

    /**
     * Boot's connector builder bean when it is Reactor Netty's (so its customizers apply), else
     * Reactor Netty's builder on the shared resources.
     */
    private static ReactorClientHttpConnectorBuilder connectorBuilder(
        ListableBeanFactory beanFactory, @Nullable ReactorResourceFactory resources) {
      ClientHttpConnectorBuilder<?> bean =
          beanFactory
              .<ClientHttpConnectorBuilder<?>>getBeanProvider(
                  ResolvableType.forClass(ClientHttpConnectorBuilder.class))
              .getIfUnique();
      if (bean instanceof ReactorClientHttpConnectorBuilder reactor) {
        return reactor;
      }
      ReactorClientHttpConnectorBuilder reactor = ClientHttpConnectorBuilder.reactor();
      return (resources != null) ? reactor.withReactorResourceFactory(resources) : reactor;
    }

    /**
     * Boot's {@link HttpClientSettings} bean (or its defaults), with only the connect timeout
     * changed when one is given: the SSL bundle, read timeout and redirects stay as configured.
     */
    static HttpClientSettings settings(
        ListableBeanFactory beanFactory, @Nullable Duration connectTimeout) {
      HttpClientSettings settings =
          beanFactory
              .getBeanProvider(HttpClientSettings.class)
              .getIfUnique(HttpClientSettings::defaults);
      return (connectTimeout != null) ? settings.withConnectTimeout(connectTimeout) : settings;
    }
  }
}
