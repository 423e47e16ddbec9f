package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Azure Web PubSub.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub")
public class WebPubSubProperties {

  /**
   * Connection string of the service, as the Azure portal shows it:
   * "Endpoint=https://&lt;name&gt;.webpubsub.azure.com;AccessKey=&lt;key&gt;;Version=1.0;". Takes
   * precedence over endpoint and access-key.
   */
  private @Nullable String connectionString;

  /** Endpoint of the service, such as "https://&lt;name&gt;.webpubsub.azure.com". */
  private @Nullable URI endpoint;

  /**
   * Access key that signs requests and client tokens (at least 32 bytes). When neither a key nor a
   * connection string is set, a token credential (Microsoft Entra ID) is used.
   */
  private @Nullable String accessKey;

  /**
   * Secondary access key, accepted when verifying the signature of upstream events during key
   * rotation.
   */
  private @Nullable String secondaryAccessKey;

  /** Hub used when an operation does not name one. */
  private @Nullable String hub;

  /** REST API version sent with every request. */
  private String apiVersion = WebPubSubTemplate.DEFAULT_API_VERSION;

  /**
   * Endpoint of a reverse proxy (such as Azure API Management) that requests are sent to instead of
   * the service endpoint; tokens are still signed for the service endpoint.
   */
  private @Nullable URI reverseProxyEndpoint;

  /**
   * Time allowed to establish a connection to the service. When not set, Boot's HTTP client
   * settings (spring.http.clients.*) apply as configured; when set, it replaces only their connect
   * timeout, so the SSL bundle, the other settings and Boot's shared Reactor resources still apply.
   * With the web-client transport, the template's WebClient then gets a connector built by Boot's
   * connector builder in place of any connector set on Boot's WebClient.Builder.
   */
  private @Nullable Duration connectTimeout;

  /** Time allowed for the service to answer one attempt of a request. */
  private Duration responseTimeout = WebPubSubTemplate.DEFAULT_RESPONSE_TIMEOUT;

  /**
   * How requests are sent: auto (the default), reactor-netty or web-client. reactor-netty sends
   * with Reactor Netty's HttpClient directly (about half the allocation and CPU per request), built
   * by Boot's reactive connector builder, so ClientHttpConnectorBuilderCustomizer beans (proxies,
   * wire logging), spring.http.clients.* settings, SSL bundles and Boot's shared Reactor resources
   * apply; WebClientCustomizer beans and http.client.requests observations do not. web-client sends
   * with Boot's WebClient.Builder, so they do. auto chooses reactor-netty unless the application
   * configures its WebClients itself (a WebClientCustomizer, WebClient.Builder or
   * ClientHttpConnector bean that Spring Boot did not declare, or a connector other than Reactor
   * Netty's), in which case it chooses web-client. The template's toString() and a log line at
   * start-up name the transport chosen and why.
   */
  private Transport transport = Transport.AUTO;

  private final Retry retry = new Retry();

  public @Nullable String getConnectionString() {
    return this.connectionString;
  }

  public void setConnectionString(@Nullable String connectionString) {
    this.connectionString = connectionString;
  }

  public @Nullable URI getEndpoint() {
    return this.endpoint;
  }

  public void setEndpoint(@Nullable URI endpoint) {
    this.endpoint = endpoint;
  }

  public @Nullable String getAccessKey() {
    return this.accessKey;
  }

  public void setAccessKey(@Nullable String accessKey) {
    this.accessKey = accessKey;
  }

  public @Nullable String getSecondaryAccessKey() {
    return this.secondaryAccessKey;
  }

  public void setSecondaryAccessKey(@Nullable String secondaryAccessKey) {
    this.secondaryAccessKey = secondaryAccessKey;
  }

  public @Nullable String getHub() {
    return this.hub;
  }

  public void setHub(@Nullable String hub) {
    this.hub = hub;
  }

  public String getApiVersion() {
    return this.apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public @Nullable URI getReverseProxyEndpoint() {
    return this.reverseProxyEndpoint;
  }

  public void setReverseProxyEndpoint(@Nullable URI reverseProxyEndpoint) {
    this.reverseProxyEndpoint = reverseProxyEndpoint;
  }

  public @Nullable Duration getConnectTimeout() {
    return this.connectTimeout;
  }

  public void setConnectTimeout(@Nullable Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getResponseTimeout() {
    return this.responseTimeout;
  }

  public void setResponseTimeout(Duration responseTimeout) {
    this.responseTimeout = responseTimeout;
  }

  /**
   * How requests are sent, as configured; {@link Transport#AUTO} unless set. The transport the
   * template actually sends with shows in its {@code toString()} and in a log line at start-up.
   *
   * @return the configured transport
   */
  public Transport getTransport() {
    return this.transport;
  }

  public void setTransport(Transport transport) {
    this.transport = transport;
  }

  public Retry getRetry() {
    return this.retry;
  }

  /** Retry settings for requests that fail transiently. */
  public static class Retry {

    /** Maximum number of retries after the first attempt (0 disables retries). */
    private int maxRetries = WebPubSubRetrySettings.defaults().maxRetries();

    /** Delay before the first retry; it doubles for each further retry, with jitter. */
    private Duration firstBackoff = WebPubSubRetrySettings.defaults().firstBackoff();

    /** Longest delay between two attempts. */
    private Duration maxBackoff = WebPubSubRetrySettings.defaults().maxBackoff();

    /**
     * Whether to retry sends after a server error or a broken connection, where the service may
     * already have accepted the message (so it can be delivered twice). Off by default: sends are
     * then retried only when the service cannot have accepted them.
     */
    private boolean retrySendsAfterServerErrors =
        WebPubSubRetrySettings.defaults().retrySendsAfterServerErrors();

    public int getMaxRetries() {
      return this.maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
    }

    public Duration getFirstBackoff() {
      return this.firstBackoff;
    }

    public void setFirstBackoff(Duration firstBackoff) {
      this.firstBackoff = firstBackoff;
    }

    public Duration getMaxBackoff() {
      return this.maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public boolean isRetrySendsAfterServerErrors() {
      return this.retrySendsAfterServerErrors;
    }

    public void setRetrySendsAfterServerErrors(boolean retrySendsAfterServerErrors) {
      this.retrySendsAfterServerErrors = retrySendsAfterServerErrors;
    }
  }

  /** How the template sends requests. */
  public enum Transport {

    /**
     * {@link #REACTOR_NETTY}, unless the application configures its WebClients itself: then {@link
     * #WEB_CLIENT}, so that nothing it configured is ignored.
     */
    AUTO,

    /** Boot's {@code WebClient.Builder}: its customizers, filters and observations apply. */
    WEB_CLIENT,

    /**
     * Reactor Netty's {@code HttpClient} directly, built by Boot's reactive connector builder: the
     * least allocation and CPU per request; {@code WebClientCustomizer} beans do not apply.
     */
    REACTOR_NETTY
  }
}
