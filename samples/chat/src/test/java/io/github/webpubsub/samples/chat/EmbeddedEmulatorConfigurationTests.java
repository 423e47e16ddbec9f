package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the sample starts its own emulator, and when it leaves the service to configuration. */
class EmbeddedEmulatorConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(EmbeddedEmulatorConfiguration.class)
          .withPropertyValues("webpubsub.hub=chat");

  @Test
  void withoutConnectionStringOrEndpointStartsAnEmulatorAndConnectsToIt() {
    this.runner.run(
        (context) -> {
          WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
          WebPubSubConnectionDetails details = context.getBean(WebPubSubConnectionDetails.class);
          assertThat(details.getEndpoint()).isEqualTo(emulator.getEndpoint());
          assertThat(details.getAccessKey()).isEqualTo(emulator.getAccessKey());
          assertThat(details.toString()).doesNotContain(emulator.getAccessKey());
        });
  }

  @Test
  void withConnectionStringStartsNoEmulator() {
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=Endpoint=https://contoso.webpubsub.azure.com;"
                + "AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;")
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(WebPubSubEmulator.class)
                    .doesNotHaveBean(WebPubSubConnectionDetails.class));
  }

  @Test
  void withEndpointStartsNoEmulator() {
    this.runner
        .withPropertyValues("webpubsub.endpoint=https://contoso.webpubsub.azure.com")
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(WebPubSubEmulator.class)
                    .doesNotHaveBean(WebPubSubConnectionDetails.class));
  }
}
