package io.github.webpubsub.autoconfigure;

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
 * timeouts) on Boot's shared {@link ReactorResourceFactory} when there is one. The transport turns
 * redirect following off whatever the settings say.
 */
final class ReactorNettyHttpClients {

  private static final boolean BOOT_HTTP_CLIENT_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.boot.http.client.ReactorHttpClientBuilder",
          ReactorNettyHttpClients.class.getClassLoader());

  private ReactorNettyHttpClients() {}

  static HttpClient create(ListableBeanFactory beanFactory) {
    ReactorResourceFactory resources =
        beanFactory.getBeanProvider(ReactorResourceFactory.class).getIfUnique();
    if (BOOT_HTTP_CLIENT_PRESENT) {
      return BootSettings.create(beanFactory, resources);
    }
    return (resources != null)
        ? HttpClient.create(resources.getConnectionProvider()).runOn(resources.getLoopResources())
        : HttpClient.create();
  }

  /** Kept apart so that nothing loads Boot's HTTP client classes when they are absent. */
  private static final class BootSettings {

    static HttpClient create(
        ListableBeanFactory beanFactory, @Nullable ReactorResourceFactory resources) {
      ReactorHttpClientBuilder builder = new ReactorHttpClientBuilder();
      if (resources != null) {
        builder = builder.withReactorResourceFactory(resources);
      }
      HttpClientSettings settings =
          beanFactory
              .getBeanProvider(HttpClientSettings.class)
              .getIfUnique(HttpClientSettings::defaults);
      return builder.build(settings);
    }
  }
}
