package io.github.webpubsub.core.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * Context of one {@link io.github.webpubsub.core.WebPubSubTemplate} operation, observed from its
 * first attempt to its final answer or failure, retries included. The template fills it in: the
 * request details at the start, the answer or failure of the latest attempt as it happens.
 *
 * <p>A {@link RequestReplySenderContext} whose carrier is the operation's outgoing headers: with
 * tracing on, Micrometer Tracing's sender handler writes the trace headers (such as {@code
 * traceparent}) into it, and every attempt sends them, on both transports.
 *
 * @since 0.1.0
 */
public class WebPubSubObservationContext
    extends RequestReplySenderContext<HttpHeaders, HttpHeaders> {

  private final String operation;

  private final @Nullable String hub;

  private final @Nullable String group;

  private final @Nullable String userId;

  private final @Nullable String connectionId;

  private final long payloadBytes;

  private final boolean hasPayload;

  private volatile int attempts = 1;

  private volatile int statusCode;

  private volatile @Nullable Throwable failure;

  private volatile boolean noAnswer;

  private final @Nullable URI endpoint;

  /**
   * The {@link WebPubSubMeterObservationHandler}'s state of this observation between its start and
   * stop (a field rather than an entry of the context's map: nothing to allocate per send).
   */
  volatile @Nullable Object meterSample;

  /**
   * The default convention's high-cardinality key values of this context, kept from the start to
   * the stop with the number of attempts they were made for (the only thing that can change them).
   */
  volatile DefaultWebPubSubObservationConvention.@Nullable HighCardinality highCardinality;

  /**
   * Creates a context.
   *
   * @param operation REST operation id, e.g. {@code sendToGroup}
   * @param hub the hub, or {@code null} for service-wide operations
   * @param group the group the operation targets, or {@code null}
   * @param userId the user the operation targets, or {@code null}
   * @param connectionId the connection the operation targets, or {@code null}
   * @param payloadBytes size of the request body, or {@code -1} when the request has none
   * @since 0.1.0
   */
  public WebPubSubObservationContext(
      String operation,
      @Nullable String hub,
      @Nullable String group,
      @Nullable String userId,
      @Nullable String connectionId,
      long payloadBytes) {
    this(operation, hub, group, userId, connectionId, payloadBytes, null);
  }

  /**
   * Creates a context for an operation sent to a known endpoint.
   *
   * @param operation REST operation id, e.g. {@code sendToGroup}
   * @param hub the hub, or {@code null} for service-wide operations
   * @param group the group the operation targets, or {@code null}
   * @param userId the user the operation targets, or {@code null}
   * @param connectionId the connection the operation targets, or {@code null}
   * @param payloadBytes size of the request body, or {@code -1} when the request has none
   * @param endpoint the service endpoint, or {@code null} when unknown
   * @since 0.1.0
   */
  public WebPubSubObservationContext(
      String operation,
      @Nullable String hub,
      @Nullable String group,
      @Nullable String userId,
      @Nullable String connectionId,
      long payloadBytes,
      @Nullable URI endpoint) {
    super(
        (carrier, name, value) -> {
          if (carrier != null) {
            carrier.set(name, value);
          }
        },
        Kind.CLIENT);
    setRemoteServiceName("webpubsub");
    if (endpoint != null) {
      setRemoteServiceAddress(endpoint.toString());
    }
    this.endpoint = endpoint;
    this.operation = Objects.requireNonNull(operation, "operation must not be null");
    this.hub = hub;
    this.group = group;
    this.userId = userId;
    this.connectionId = connectionId;
    this.hasPayload = payloadBytes >= 0;
    this.payloadBytes = Math.max(0, payloadBytes);
  }

  /**
   * The operation's outgoing headers, created on first use: a propagating handler (tracing) writes
   * into them; without one, no headers are made.
   *
   * @return the headers every attempt of the operation sends
   */
  @Override
  public HttpHeaders getCarrier() {
    HttpHeaders carrier = super.getCarrier();
    if (carrier == null) {
      carrier = new HttpHeaders();
      setCarrier(carrier);
    }
    return carrier;
  }

  /**
   * The outgoing headers if anything asked for them (see {@link #getCarrier()}), without creating
   * them.
   *
   * @return the headers, or {@code null} if none were made
   */
  protected final @Nullable HttpHeaders getCarrierIfCreated() {
    return super.getCarrier();
  }

  /**
   * REST operation id, e.g. {@code sendToGroup}.
   *
   * @since 0.1.0
   */
  public String getOperation() {
    return this.operation;
  }

  /**
   * Hub of the operation, {@code null} for service-wide operations ({@code getServiceStatus}).
   *
   * @since 0.1.0
   */
  public @Nullable String getHub() {
    return this.hub;
  }

  /**
   * Group the operation targets, or {@code null}.
   *
   * @since 0.1.0
   */
  public @Nullable String getGroup() {
    return this.group;
  }

  /**
   * User the operation targets, or {@code null}.
   *
   * @since 0.1.0
   */
  public @Nullable String getUserId() {
    return this.userId;
  }

  /**
   * Connection the operation targets, or {@code null}.
   *
   * @since 0.1.0
   */
  public @Nullable String getConnectionId() {
    return this.connectionId;
  }

  /**
   * Whether the request has a body (a message, or the JSON of a bulk group operation).
   *
   * @since 0.1.0
   */
  public boolean hasPayload() {
    return this.hasPayload;
  }

  /**
   * Size of the request body in bytes, {@code 0} when it has none; sent once per attempt.
   *
   * @since 0.1.0
   */
  public long getPayloadBytes() {
    return this.payloadBytes;
  }

  /**
   * Attempts made so far, {@code 1} plus the retries.
   *
   * @since 0.1.0
   */
  public int getAttempts() {
    return this.attempts;
  }

  /**
   * Sets the attempts made so far.
   *
   * @param attempts {@code 1} plus the retries
   * @since 0.1.0
   */
  public void setAttempts(int attempts) {
    this.attempts = attempts;
  }

  /**
   * HTTP status of the latest attempt's answer, {@code 0} while there is none (in flight, or the
   * service could not be reached or did not answer in time).
   *
   * @since 0.1.0
   */
  public int getStatusCode() {
    return this.statusCode;
  }

  /**
   * Sets the HTTP status of the latest attempt's answer.
   *
   * @param statusCode the status, or {@code 0} when there was no answer
   * @since 0.1.0
   */
  public void setStatusCode(int statusCode) {
    this.statusCode = statusCode;
  }

  /**
   * Why the latest attempt failed (the failure that was retried, or the operation's final error),
   * {@code null} when it was answered successfully or is still in flight.
   *
   * @since 0.1.0
   */
  public @Nullable Throwable getFailure() {
    return this.failure;
  }

  /**
   * Sets why the latest attempt failed.
   *
   * @param failure the failure, or {@code null} when the attempt succeeded
   * @since 0.1.0
   */
  public void setFailure(@Nullable Throwable failure) {
    this.failure = failure;
  }

  /**
   * The service endpoint the operation is sent to.
   *
   * @return the endpoint, or {@code null} when unknown
   * @since 0.1.0
   */
  public @Nullable URI getEndpoint() {
    return this.endpoint;
  }

  /**
   * Whether the latest attempt got no answer at all (refused, reset, timed out), as opposed to an
   * answer with a status or a failure before sending.
   *
   * @return {@code true} when no answer came
   * @since 0.1.0
   */
  public boolean isNoAnswer() {
    return this.noAnswer;
  }

  /**
   * Sets whether the latest attempt got no answer at all.
   *
   * @param noAnswer {@code true} when no answer came
   * @since 0.1.0
   */
  public void setNoAnswer(boolean noAnswer) {
    this.noAnswer = noAnswer;
  }
}
