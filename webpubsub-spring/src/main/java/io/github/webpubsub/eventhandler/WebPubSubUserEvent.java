package io.github.webpubsub.eventhandler;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Published when a client's user event was handled.
 *
 * @since 0.1.0
 */
public class WebPubSubUserEvent extends WebPubSubEvent {

  private final byte[] data;

  private final @Nullable String contentType;

  /**
   * Creates an event.
   *
   * @param context the connection; {@link WebPubSubConnectionContext#getEventName()} is the name
   * @param data the event's data as sent
   * @param contentType the data's content type ({@code text/plain}, {@code application/json} or
   *     {@code application/octet-stream}), if given
   */
  public WebPubSubUserEvent(
      WebPubSubConnectionContext context, byte[] data, @Nullable String contentType) {
    super(context);
    this.data = data.clone();
    this.contentType = contentType;
  }

  /** The event's data as sent (a copy). */
  public byte[] getData() {
    return this.data.clone();
  }

  /** The event's data decoded as UTF-8 text. */
  public String getDataAsString() {
    return new String(this.data, StandardCharsets.UTF_8);
  }

  /** The data's content type, or {@code null}. */
  public @Nullable String getContentType() {
    return this.contentType;
  }
}
