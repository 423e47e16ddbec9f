package io.github.webpubsub.autoconfigure;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.ReactorHttpClientBuilder;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.ClassUtils;
import reactor.netty.http.client.HttpClient;

/**
 * The Reactor Netty {@link HttpClient} of {@code webpubsub.transport=reactor-netty}: built as Boot
 * builds its own reactive connector (its {@code spring.http.clients.*} settings: SSL bundle,
 * timeouts) on Boot's shared {@link ReactorResourceFactory} when there is one, with {@code
 * webpubsub.connect-timeout}, when set, in place of the settings' connect timeout. The transport
 * turns redirect following off whatever the settings say.
 */
final class ReactorNettyHttpClients {

  private static final boolean BOOT_HTTP_CLIENT_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.boot.http.client.ReactorHttpClientBuilder",
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
      ReactorHttpClientBuilder builder = new ReactorHttpClientBuilder();
      if (resources != null) {
        builder = builder.withReactorResourceFactory(resources);
      }
      return builder.build(settings(beanFactory, connectTimeout));
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
