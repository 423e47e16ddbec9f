package io.github.webpubsub.autoconfigure.eventhandler;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the upstream event handler endpoint that receives Web PubSub's CloudEvents.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub.event-handler")
public class WebPubSubEventHandlerProperties {

  /** Whether to serve the event handler endpoint. */
  private boolean enabled = true;

  /**
   * Path of the endpoint; requests below it (a URL template ending in "/{event}") are served too.
   */
  private String path = "/eventhandler";

  /** Hubs whose events are accepted; other hubs are answered 404. Empty accepts every hub. */
  private List<String> hubs = new ArrayList<>();

  /**
   * Origins (host names) allowed to deliver events besides the service endpoint's host, or "*" for
   * any.
   */
  private List<String> allowedOrigins = new ArrayList<>();

  /**
   * Largest body of a user event or notification; larger ones are answered 413. Connect events may
   * be up to 16MB.
   */
  private DataSize maxBodySize = DataSize.ofMegabytes(1);

  /** Whether to serve the event handler endpoint. */
  public boolean isEnabled() {
    return this.enabled;
  }

  /** Sets whether to serve the endpoint. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Path of the endpoint. */
  public String getPath() {
    return this.path;
  }

  /** Sets the path of the endpoint. */
  public void setPath(String path) {
    this.path = path;
  }

  /** Hubs whose events are accepted. */
  public List<String> getHubs() {
    return this.hubs;
  }

  /** Sets the hubs whose events are accepted. */
  public void setHubs(List<String> hubs) {
    this.hubs = hubs;
  }

  /** Extra origins allowed to deliver events. */
  public List<String> getAllowedOrigins() {
    return this.allowedOrigins;
  }

  /** Sets the extra origins allowed to deliver events. */
  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  /** Largest accepted body of a user event or notification. */
  public DataSize getMaxBodySize() {
    return this.maxBodySize;
  }

  /** Sets the largest accepted body of a user event or notification. */
  public void setMaxBodySize(DataSize maxBodySize) {
    this.maxBodySize = maxBodySize;
  }
}
