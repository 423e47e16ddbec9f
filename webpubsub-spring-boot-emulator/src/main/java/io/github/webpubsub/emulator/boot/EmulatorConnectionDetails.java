package io.github.webpubsub.emulator.boot;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.net.URI;

/** The emulator's endpoint and key, in place of {@code webpubsub.*} connection properties. */
final class EmulatorConnectionDetails implements WebPubSubConnectionDetails {

  private final WebPubSubEmulator emulator;

  EmulatorConnectionDetails(WebPubSubEmulator emulator) {
    this.emulator = emulator;
  }

  @Override
  public URI getEndpoint() {
    return this.emulator.getEndpoint();
  }

  @Override
  public String getAccessKey() {
    return this.emulator.getAccessKey();
  }

  @Override
  public String toString() {
    return "EmulatorConnectionDetails[endpoint=" + getEndpoint() + "]";
  }
}
