package io.github.webpubsub.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Codes, statuses (as {@code @azure/web-pubsub-express} 1.1.0 maps them) and factories. */
class WebPubSubMqttConnectRejectedExceptionTests {

  private static final WebPubSubMqttConnectInfo MQTT_3 =
      new WebPubSubMqttConnectInfo(4, "u", null, List.of());

  private static final WebPubSubMqttConnectInfo MQTT_5 =
      new WebPubSubMqttConnectInfo(5, "u", null, List.of());

  @Test
  void mqtt311ReturnCodesMapToTheStatusesTheSdkUses() {
    assertThat(status(1)).isEqualTo(400);
    assertThat(status(2)).isEqualTo(400);
    assertThat(status(3)).isEqualTo(503);
    assertThat(status(4)).isEqualTo(401);
    assertThat(status(5)).isEqualTo(401);
  }

  @Test
  void mqtt5ReasonCodesMapToTheStatusesTheSdkUses() {
    for (int code : new int[] {134, 135}) {
      assertThat(status(code)).isEqualTo(401);
    }
    for (int code : new int[] {129, 131, 132, 133, 140, 144, 149, 153, 154, 155}) {
      assertThat(status(code)).as("code %d", code).isEqualTo(400);
    }
    assertThat(status(138)).isEqualTo(403);
    assertThat(status(151)).isEqualTo(429);
    assertThat(status(159)).isEqualTo(429);
    for (int code : new int[] {128, 130, 136, 137, 156, 157}) {
      assertThat(status(code)).as("code %d", code).isEqualTo(500);
    }
  }

  @Test
  void factoriesPickTheCodeOfTheClientsProtocolVersion() {
    assertThat(WebPubSubMqttConnectRejectedException.badUsernameOrPassword(MQTT_3, "x").getCode())
        .isEqualTo(4);
    assertThat(WebPubSubMqttConnectRejectedException.badUsernameOrPassword(MQTT_5, "x").getCode())
        .isEqualTo(134);
    assertThat(WebPubSubMqttConnectRejectedException.notAuthorized(MQTT_3, null).getCode())
        .isEqualTo(5);
    assertThat(WebPubSubMqttConnectRejectedException.notAuthorized(MQTT_5, null).getCode())
        .isEqualTo(135);
    assertThat(WebPubSubMqttConnectRejectedException.serverUnavailable(MQTT_3, null).getCode())
        .isEqualTo(3);
    assertThat(WebPubSubMqttConnectRejectedException.serverUnavailable(MQTT_5, null).getCode())
        .isEqualTo(136);
  }

  @Test
  void codesThatAreNoConnackFailureAreRefused() {
    for (int code : new int[] {0, 6, 127, 139, 141, 160, 256, -1}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new WebPubSubMqttConnectRejectedException(code, null))
          .withMessageContaining("got " + code);
    }
  }

  @Test
  void messageNamesCodeAndReason() {
    assertThat(new WebPubSubMqttConnectRejectedException(135, "no").getMessage())
        .isEqualTo("MQTT connect rejected with code 135: no");
    assertThat(new WebPubSubMqttConnectRejectedException(5, null).getMessage())
        .isEqualTo("MQTT connect rejected with code 5");
  }

  private static int status(int code) {
    return new WebPubSubMqttConnectRejectedException(code, null).getStatusCode();
  }
}
