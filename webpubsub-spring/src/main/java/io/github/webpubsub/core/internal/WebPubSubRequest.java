package io.github.webpubsub.core.internal;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * One REST call to the service, described before it is sent: the REST operation id, the hub and the
 * ids it targets (for observations and error messages), method, encoded path and query, body.
 *
 * @param operation REST operation id, e.g. {@code sendToGroup}
 * @param hub the hub, or {@code null} for service-wide operations
 * @param targets ids the operation acts on, by name ({@code group}, {@code userId}, ...)
 * @param method HTTP method
 * @param pathAndQuery encoded path and query relative to the endpoint, e.g. {@code
 *     /api/hubs/chat/:send?api-version=2024-12-01}; or an absolute URL (a page's {@code nextLink})
 * @param body request body, or {@code null}
 * @param contentType the body's media type, or {@code null}
 * @param send whether this is a {@code :send} (not idempotent: retried only where the service
 *     cannot have accepted it)
 * @param notFoundIsAnswer whether 404 is an answer ({@code false} of an existence check) rather
 *     than an error
 * @param retryable whether a failed attempt may be retried at all (a health probe reports the
 *     service's state now, so it is not)
 * @param readsBody whether a successful answer's body is read (operations returning JSON); other
 *     operations' success bodies are released unread (error bodies are always read)
 */
public record WebPubSubRequest(
    String operation,
    @Nullable String hub,
    Map<String, String> targets,
    HttpMethod method,
    String pathAndQuery,
    byte @Nullable [] body,
    @Nullable String contentType,
    boolean send,
    boolean notFoundIsAnswer,
    boolean retryable,
    boolean readsBody) {

  /** Starts a request of the given operation. */
  public static Builder of(String operation, @Nullable String hub, HttpMethod method) {
    return new Builder(operation, hub, method);
  }

  /** Whether {@link #pathAndQuery()} is an absolute URL rather than relative to the endpoint. */
  public boolean isAbsolute() {
    return this.pathAndQuery.startsWith("http://") || this.pathAndQuery.startsWith("https://");
  }

  @Override
  public String toString() {
    return "WebPubSubRequest[" + this.operation + " " + this.method + " " + this.pathAndQuery + "]";
  }

  /** Builds the encoded path and query of a request. */
  public static final class Builder {

    private final String operation;

    private final @Nullable String hub;

    private final HttpMethod method;

    // At most two targets per operation (permission and connection, group and user, ...).
    private @Nullable String firstTargetName;

    private @Nullable String firstTargetValue;

    private @Nullable String secondTargetName;

    private @Nullable String secondTargetValue;

    private final StringBuilder path = new StringBuilder(96);

    private int queryParameters;

    private byte @Nullable [] body;

    private @Nullable String contentType;

    private boolean send;

    private boolean retryable = true;

    private boolean notFoundIsAnswer;

    private @Nullable String absoluteUrl;

    private boolean readsBody;

    private Builder(String operation, @Nullable String hub, HttpMethod method) {
      this.operation = operation;
      this.hub = hub;
      this.method = method;
    }

    /** Appends literal path text such as {@code /api/hubs/} or {@code /:send} (not encoded). */
    public Builder path(String literal) {
      requirePathNotClosed();
      this.path.append(literal);
      return this;
    }

    /** Appends one encoded path segment. */
    public Builder segment(String value) {
      requirePathNotClosed();
      this.path.append(UrlEncoding.pathSegment(value));
      return this;
    }

    /** Appends one encoded path segment and records it as a target of the operation. */
    public Builder target(String name, String value) {
      if (this.firstTargetName == null || this.firstTargetName.equals(name)) {
        this.firstTargetName = name;
        this.firstTargetValue = value;
      } else if (this.secondTargetName == null || this.secondTargetName.equals(name)) {
        this.secondTargetName = name;
        this.secondTargetValue = value;
      } else {
        throw new IllegalStateException("at most two targets per request, not " + name);
      }
      return segment(value);
    }

    /** Adds a query parameter (repeated names allowed); {@code null} values are skipped. */
    public Builder query(String name, @Nullable Object value) {
      if (value != null) {
        startQueryParameter()
            .append(UrlEncoding.queryParameter(name))
            .append('=')
            .append(UrlEncoding.queryParameter(value.toString()));
      }
      return this;
    }

    /** Adds an already encoded {@code name=value} query parameter (cached by the caller). */
    public Builder encodedQuery(String nameAndValue) {
      startQueryParameter().append(nameAndValue);
      return this;
    }

    /**
     * The path and query so far, ready for one more query parameter. Path text is never appended
     * after the query: every operation builds its path first.
     */
    private StringBuilder startQueryParameter() {
      return this.path.append((this.queryParameters++ == 0) ? '?' : '&');
    }

    private void requirePathNotClosed() {
      if (this.queryParameters > 0) {
        throw new IllegalStateException("path text after the query of " + this.operation);
      }
    }

    /** Adds one query parameter per value. */
    public Builder queryEach(String name, Iterable<String> values) {
      for (String value : values) {
        query(name, value);
      }
      return this;
    }

    /** Sets the body and its media type. */
    public Builder body(byte[] body, String contentType) {
      this.body = body;
      this.contentType = contentType;
      return this;
    }

    /** Marks the request as a send (not idempotent). */
    public Builder send() {
      this.send = true;
      return this;
    }

    /** Never retries the request. */
    public Builder noRetry() {
      this.retryable = false;
      return this;
    }

    /** Treats 404 as an answer. */
    public Builder notFoundIsAnswer() {
      this.notFoundIsAnswer = true;
      return this;
    }

    /** Reads the body of a successful answer (the operation returns JSON). */
    public Builder readsBody() {
      this.readsBody = true;
      return this;
    }

    /** Sends the request to an absolute URL as is (a page's {@code nextLink}). */
    public Builder absoluteUrl(String url) {
      this.absoluteUrl = url;
      return this;
    }

    /** The request. */
    public WebPubSubRequest build() {
      String pathAndQuery = (this.absoluteUrl != null) ? this.absoluteUrl : this.path.toString();
      Map<String, String> targets;
      if (this.firstTargetName == null) {
        targets = Map.of();
      } else if (this.secondTargetName == null) {
        targets = Map.of(this.firstTargetName, Objects.requireNonNull(this.firstTargetValue));
      } else {
        targets =
            Map.of(
                this.firstTargetName,
                Objects.requireNonNull(this.firstTargetValue),
                this.secondTargetName,
                Objects.requireNonNull(this.secondTargetValue));
      }
      return new WebPubSubRequest(
          this.operation,
          this.hub,
          targets,
          this.method,
          Objects.requireNonNull(pathAndQuery),
          this.body,
          this.contentType,
          this.send,
          this.notFoundIsAnswer,
          this.retryable,
          this.readsBody);
    }
  }
}
