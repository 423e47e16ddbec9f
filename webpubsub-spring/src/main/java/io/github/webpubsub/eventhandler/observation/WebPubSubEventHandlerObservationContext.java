package io.github.webpubsub.eventhandler.observation;

import io.micrometer.observation.Observation;

/**
 * What an observation of one event handler request knows: filled in while the request is processed
 * and read by the convention when the observation stops.
 *
 * @since 0.1.0
 */
public class WebPubSubEventHandlerObservationContext extends Observation.Context {

  private String eventType = "unknown";

  private String hub = "none";

  private int status;

  /**
   * Kind of request: {@code validate}, {@code connect}, {@code connected}, {@code disconnected},
   * {@code user}, {@code group.joined}, {@code group.left}, {@code other} or {@code unknown}.
   */
  public String getEventType() {
    return this.eventType;
  }

  /**
   * Sets the kind of request.
   *
   * @param eventType the kind
   */
  public void setEventType(String eventType) {
    this.eventType = eventType;
  }

  /** Hub of the event, or {@code none} until the signature was verified. */
  public String getHub() {
    return this.hub;
  }

  /**
   * Sets the hub.
   *
   * @param hub the hub
   */
  public void setHub(String hub) {
    this.hub = hub;
  }

  /** HTTP status of the answer, 0 until answered. */
  public int getStatus() {
    return this.status;
  }

  /**
   * Sets the HTTP status of the answer.
   *
   * @param status the status
   */
  public void setStatus(int status) {
    this.status = status;
  }
}
