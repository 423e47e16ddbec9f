package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.autoconfigure.WebPubSubProperties.Transport;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.MethodMetadata;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The transport the template sends with, and why, as {@code webpubsub.transport} says: {@code auto}
 * chooses {@code reactor-netty} unless the application configures its WebClients itself, that is it
 * has a {@code WebClientCustomizer}, {@code WebClient.Builder} or {@link ClientHttpConnector} bean
 * that Spring Boot did not declare, or Boot's reactive connector builder is not Reactor Netty's
 * ({@code spring.http.clients.reactive.connector}, or a {@code ClientHttpConnectorBuilder} bean of
 * another kind). The {@code reactor-netty} transport could apply none of these, so {@code auto}
 * then keeps {@code web-client}, which applies them all.
 *
 * <p>A bean is Spring Boot's when the {@code @Bean} method that makes it is declared in a class
 * under {@code org.springframework.boot.}: Boot's connector customizer (the connector is built by
 * the same connector builder on either transport), its codecs customizer (the template writes and
 * reads bodies as bytes itself) and its observation customizer ({@code http.client.requests}; the
 * template records {@code webpubsub.client.requests} on both transports). Any other bean, or one
 * whose origin cannot be told, counts as the application's.
 *
 * @param transport the transport the template sends with, never {@link Transport#AUTO}
 * @param reason why, for the log: property value and the beans that decided
 * @param notApplied what the application configured that the chosen transport does not apply (only
 *     when {@code webpubsub.transport=reactor-netty} was set explicitly)
 */
record TransportChoice(Transport transport, String reason, List<String> notApplied) {

  static final String PROPERTY = "webpubsub.transport";

  private static final String WEB_CLIENT_CUSTOMIZER =
      "org.springframework.boot.webclient.WebClientCustomizer";

  private static final String BOOT_PACKAGE = "org.springframework.boot.";

  private static final boolean BOOT_HTTP_CLIENT_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
          TransportChoice.class.getClassLoader());

  TransportChoice {
    notApplied = List.copyOf(notApplied);
  }

  /** The name of the chosen transport as the property spells it. */
  String transportName() {
    return name(this.transport);
  }

  static TransportChoice choose(Transport configured, ListableBeanFactory beanFactory) {
    if (configured == Transport.WEB_CLIENT) {
      return new TransportChoice(Transport.WEB_CLIENT, PROPERTY + "=web-client", List.of());
    }
    List<String> configuration = applicationWebClientConfiguration(beanFactory);
    if (configured == Transport.REACTOR_NETTY) {
      return new TransportChoice(
          Transport.REACTOR_NETTY, PROPERTY + "=reactor-netty", configuration);
    }
    if (!configuration.isEmpty()) {
      return new TransportChoice(
          Transport.WEB_CLIENT,
          PROPERTY
              + "=auto and the application configures its WebClients with "
              + String.join(", ", configuration)
              + ", which only the web-client transport applies (set "
              + PROPERTY
              + "=reactor-netty if they are not meant for Web PubSub)",
          List.of());
    }
    return new TransportChoice(
        Transport.REACTOR_NETTY,
        PROPERTY
            + "=auto and the application has no WebClientCustomizer, WebClient.Builder or"
            + " ClientHttpConnector bean of its own; built by Boot's reactive connector builder,"
            + " so its customizers and spring.http.clients.* settings apply",
        List.of());
  }

  static String name(Transport transport) {
    return transport.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /**
   * What the application configured that only the web-client transport applies, each as "kind bean
   * 'name'", in a stable order.
   */
  private static List<String> applicationWebClientConfiguration(ListableBeanFactory beanFactory) {
    List<String> found = new ArrayList<>();
    ClassLoader classLoader = TransportChoice.class.getClassLoader();
    if (ClassUtils.isPresent(WEB_CLIENT_CUSTOMIZER, classLoader)) {
      applicationBeans(
          beanFactory,
          ClassUtils.resolveClassName(WEB_CLIENT_CUSTOMIZER, classLoader),
          "WebClientCustomizer",
          found);
    }
    applicationBeans(beanFactory, WebClient.Builder.class, "WebClient.Builder", found);
    applicationBeans(beanFactory, ClientHttpConnector.class, "ClientHttpConnector", found);
    if (BOOT_HTTP_CLIENT_PRESENT) {
      String connector = BootConnectorBuilder.otherThanReactor(beanFactory);
      if (connector != null) {
        found.add(
            "Boot's reactive connector builder "
                + connector
                + " (spring.http.clients.reactive.connector or a ClientHttpConnectorBuilder bean)");
      }
    }
    return found;
  }

  private static void applicationBeans(
      ListableBeanFactory beanFactory, Class<?> type, String kind, List<String> found) {
    for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
      if (!declaredBySpringBoot(beanFactory, name)) {
        found.add(kind + " bean '" + name + "'");
      }
    }
  }

  /** Whether the bean's {@code @Bean} method is declared in a class of Spring Boot. */
  static boolean declaredBySpringBoot(ListableBeanFactory beanFactory, String beanName) {
    if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)) {
      return false;
    }
    BeanDefinition definition;
    try {
      definition = configurable.getMergedBeanDefinition(beanName);
    } catch (NoSuchBeanDefinitionException ex) {
      return false; // a singleton registered as an instance: the application's
    }
    String declaringClass = factoryMethodDeclaringClass(configurable, definition);
    return declaringClass != null && declaringClass.startsWith(BOOT_PACKAGE);
  }

  private static @Nullable String factoryMethodDeclaringClass(
      ConfigurableListableBeanFactory beanFactory, BeanDefinition definition) {
    if (definition instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
      if (factoryMethod != null) {
        return factoryMethod.getDeclaringClassName();
      }
    }
    if (definition instanceof RootBeanDefinition root) {
      Method factoryMethod = root.getResolvedFactoryMethod();
      if (factoryMethod != null) {
        return factoryMethod.getDeclaringClass().getName();
      }
    }
    String factoryBean = definition.getFactoryBeanName();
    if (factoryBean != null && definition.getFactoryMethodName() != null) {
      Class<?> type = beanFactory.getType(factoryBean, false);
      return (type != null) ? ClassUtils.getUserClass(type).getName() : null;
    }
    return null;
  }

  /** Kept apart so that nothing loads Boot's HTTP client classes when they are absent. */
  private static final class BootConnectorBuilder {

    private BootConnectorBuilder() {}

    /** The simple class name of Boot's connector builder bean when it is not Reactor Netty's. */
    static @Nullable String otherThanReactor(ListableBeanFactory beanFactory) {
      ClientHttpConnectorBuilder<?> builder =
          beanFactory
              .<ClientHttpConnectorBuilder<?>>getBeanProvider(
                  ResolvableType.forClass(ClientHttpConnectorBuilder.class))
              .getIfUnique();
      if (builder == null || builder instanceof ReactorClientHttpConnectorBuilder) {
        return null;
      }
      return builder.getClass().getSimpleName();
    }
  }
}
