package io.github.webpubsub.core;

/**
 * Content type of a message sent through the REST API; it decides how clients receive it (text
 * frame or {@code "dataType":"text"}, JSON, or binary).
 *
 * @since 0.1.0
 */
public enum WebPubSubContentType {
  /** {@code text/plain}. */
  TEXT("text/plain"),
  /** {@code application/json}. */
  JSON("application/json"),
  /** {@code application/octet-stream}. */
  BINARY("application/octet-stream");

  private final String mediaType;

  WebPubSubContentType(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type sent as {@code Content-Type}. */
  public String mediaType() {
    return this.mediaType;
  }
}
