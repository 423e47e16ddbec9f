package io.github.webpubsub.emulator.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded Web PubSub emulator that runs when no service is configured.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub.emulator")
public class WebPubSubEmulatorProperties {

  /**
   * Whether to start the emulator in-process when neither webpubsub.connection-string nor
   * webpubsub.endpoint is set.
   */
  private boolean enabled = true;

  /** Port of the emulator on 127.0.0.1; 0 picks a free port. */
  private int port = 0;

  /** Whether to start the emulator when no service is configured. */
  public boolean isEnabled() {
    return this.enabled;
  }

  /** Sets whether to start the emulator when no service is configured. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Port of the emulator, 0 for a free one. */
  public int getPort() {
    return this.port;
  }

  /** Sets the port of the emulator, 0 for a free one. */
  public void setPort(int port) {
    this.port = port;
  }
}
