package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.core.WebPubSubConstraints;
import io.github.webpubsub.core.WebPubSubJsonSerializer;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of a {@link WebPubSubTemplate} from {@code webpubsub.*} properties or a {@link
 * WebPubSubConnectionDetails} bean. By default ({@code webpubsub.transport=auto}) it sends with a
 * Reactor Netty {@code HttpClient} made by Boot's reactive connector builder, so its customizers,
 * HTTP client settings and SSL bundles apply; when the application configures its WebClients itself
 * ({@code WebClientCustomizer}, {@code WebClient.Builder} or {@code ClientHttpConnector} beans of
 * its own), it sends with Boot's {@link WebClient.Builder} instead, so that they apply. See {@link
 * WebPubSubProperties#getTransport()}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnClass({WebClient.class, WebPubSubTemplate.class})
@EnableConfigurationProperties(WebPubSubProperties.class)
public final class WebPubSubAutoConfiguration {

  private static final Log logger = LogFactory.getLog(WebPubSubAutoConfiguration.class);

  static final String HUB_PROPERTY = "webpubsub.hub";

  static final String CONNECT_TIMEOUT_PROPERTY = "webpubsub.connect-timeout";

  private static final String AZURE_IDENTITY_CLASS =
      "com.azure.identity.DefaultAzureCredentialBuilder";

  @Bean
  @ConditionalOnMissingBean(WebPubSubConnectionDetails.class)
  PropertiesWebPubSubConnectionDetails webPubSubConnectionDetails(WebPubSubProperties properties) {
    return new PropertiesWebPubSubConnectionDetails(properties);
  }

  @Bean
  @ConditionalOnMissingBean(WebPubSubOperations.class)
  WebPubSubTemplate webPubSubTemplate(
      WebPubSubProperties properties,
      WebPubSubConnectionDetails connectionDetails,
      ObjectProvider<WebClient.Builder> webClientBuilder,
      ObjectProvider<WebPubSubTokenProvider> tokenProvider,
      ObjectProvider<WebPubSubJsonSerializer> jsonSerializer,
      ObjectProvider<WebPubSubTemplateCustomizer> customizers,
      ListableBeanFactory beanFactory) {
    Duration connectTimeout = connectTimeout(properties);
    TransportChoice transport = TransportChoice.choose(properties.getTransport(), beanFactory);
    logChoice(transport);
    WebPubSubTemplate.Builder builder =
        ((transport.transport() == WebPubSubProperties.Transport.REACTOR_NETTY)
                ? WebPubSubTemplate.builder(
                    ReactorNettyHttpClients.create(beanFactory, connectTimeout))
                : WebPubSubTemplate.builder(
                    webClientBuilder(webClientBuilder, connectTimeout, beanFactory)))
            .endpoint(connectionDetails.getEndpoint())
            .hub(hub(properties))
            .apiVersion(properties.getApiVersion())
            .reverseProxyEndpoint(properties.getReverseProxyEndpoint())
            .responseTimeout(properties.getResponseTimeout())
            .retry(retry(properties.getRetry()));
    String accessKey = connectionDetails.getAccessKey();
    if (accessKey != null) {
      builder.accessKey(accessKey);
    } else {
      builder.tokenProvider(tokenProvider(tokenProvider, properties));
    }
    jsonSerializer.ifAvailable(builder::jsonSerializer);
    customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * One line at start-up naming the transport and why (bean names and property values, never a
   * secret); a warning when an explicit {@code reactor-netty} leaves configuration unapplied.
   */
  private static void logChoice(TransportChoice choice) {
    if (!choice.notApplied().isEmpty()) {
      logger.warn(
          "Web PubSub template sends with the "
              + choice.transportName()
              + " transport ("
              + choice.reason()
              + "); it does not apply "
              + String.join(", ", choice.notApplied())
              + ": only the web-client transport does");
    } else if (logger.isInfoEnabled()) {
      logger.info(
          "Web PubSub template sends with the "
              + choice.transportName()
              + " transport: "
              + choice.reason());
    }
  }

  /**
   * Boot's builder, or, with a connect timeout, a copy of it (so its customizers, filters and
   * observations stay) whose connector Boot's connector builder makes from Boot's HTTP client
   * settings with only the connect timeout changed. The template's own {@code connectTimeout} would
   * replace the connector with a bare one, dropping the SSL bundle and shared resources.
   */
  private static WebClient.Builder webClientBuilder(
      ObjectProvider<WebClient.Builder> webClientBuilder,
      @Nullable Duration connectTimeout,
      ListableBeanFactory beanFactory) {
    WebClient.Builder builder = webClientBuilder.getIfAvailable(WebClient::builder);
    if (connectTimeout == null) {
      return builder;
    }
    return builder
        .clone()
        .clientConnector(ClientHttpConnectors.withConnectTimeout(beanFactory, connectTimeout));
  }

  private static @Nullable Duration connectTimeout(WebPubSubProperties properties) {
    Duration connectTimeout = properties.getConnectTimeout();
    if (connectTimeout != null && (connectTimeout.isZero() || connectTimeout.isNegative())) {
      throw new InvalidWebPubSubPropertyException(
          CONNECT_TIMEOUT_PROPERTY, "must be positive but was " + connectTimeout, "5s");
    }
    return connectTimeout;
  }

  private static String hub(WebPubSubProperties properties) {
    String hub = properties.getHub();
    if (hub == null || hub.isBlank()) {
      throw new InvalidWebPubSubPropertyException(
          HUB_PROPERTY, "is required: it names the hub that operations use by default", "chat");
    }
    try {
      return WebPubSubConstraints.checkHub(hub);
    } catch (IllegalArgumentException ex) {
      throw new InvalidWebPubSubPropertyException(
          HUB_PROPERTY, InvalidWebPubSubPropertyException.problem("hub", ex), "chat");
    }
  }

  private static WebPubSubRetrySettings retry(WebPubSubProperties.Retry retry) {
    try {
      return new WebPubSubRetrySettings(
          retry.getMaxRetries(),
          retry.getFirstBackoff(),
          retry.getMaxBackoff(),
          retry.isRetrySendsAfterServerErrors());
    } catch (IllegalArgumentException ex) {
      throw new InvalidWebPubSubPropertyException(
          "webpubsub.retry", "is invalid: " + ex.getMessage(), "webpubsub.retry.max-retries=3");
    }
  }

  private static WebPubSubTokenProvider tokenProvider(
      ObjectProvider<WebPubSubTokenProvider> tokenProvider, WebPubSubProperties properties) {
    WebPubSubTokenProvider provider = tokenProvider.getIfAvailable();
    if (provider != null) {
      return provider;
    }
    String connectionString = properties.getConnectionString();
    if (connectionString != null && !connectionString.isBlank()) {
      throw new InvalidWebPubSubPropertyException(
          WebPubSubConnectionString.PROPERTY,
          "has no 'AccessKey=' part, and no token credential is available (add"
              + " com.azure:azure-identity for Microsoft Entra ID, or define a"
              + " WebPubSubTokenProvider bean)",
          WebPubSubConnectionString.EXAMPLE);
    }
    throw new InvalidWebPubSubPropertyException(
        "webpubsub.access-key",
        "is required when no token credential is available (add com.azure:azure-identity for"
            + " Microsoft Entra ID, or define a WebPubSubTokenProvider bean)",
        "<the 44-character key from the portal's Keys blade>");
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = AZURE_IDENTITY_CLASS)
  static class AzureIdentityConfiguration {

    @Bean
    @ConditionalOnMissingBean(WebPubSubTokenProvider.class)
    WebPubSubTokenProvider azureIdentityWebPubSubTokenProvider() {
      return AzureIdentityTokenProvider.withDefaultCredential();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SanitizingFunction.class)
  static class ActuatorConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "webPubSubSecretsSanitizingFunction")
    SanitizingFunction webPubSubSecretsSanitizingFunction() {
      return new WebPubSubSecretsSanitizingFunction();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JsonMapper.class)
  static class JacksonConfiguration {

    @Bean
    @ConditionalOnMissingBean(WebPubSubJsonSerializer.class)
    @ConditionalOnBean(JsonMapper.class)
    WebPubSubJsonSerializer webPubSubJsonSerializer(JsonMapper jsonMapper) {
      return WebPubSubJsonSerializer.jackson(jsonMapper);
    }
  }
}
