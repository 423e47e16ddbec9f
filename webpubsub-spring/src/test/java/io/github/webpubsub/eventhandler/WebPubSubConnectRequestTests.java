package io.github.webpubsub.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WebPubSubConnectRequestTests {

  @Test
  void toStringShouldShowNamesButNeverTokensHeadersOrCookies() {
    WebPubSubConnectRequest request =
        new WebPubSubConnectRequest(
            Map.of("sub", List.of("alice")),
            Map.of("access_token", List.of("eyJhbGciOiJIUzI1NiJ9.secret-token")),
            Map.of(
                "Authorization",
                List.of("Bearer secret-bearer"),
                "Cookie",
                List.of("s=secret-cookie")),
            List.of("json.webpubsub.azure.v1"),
            List.of());
    assertThat(request.toString())
        .contains("access_token", "Authorization", "json.webpubsub.azure.v1")
        .doesNotContain("secret-token", "secret-bearer", "secret-cookie", "alice");
  }

  @Test
  void mqttPasswordIsNeverShownNorWrittenAsJson() {
    WebPubSubMqttConnectInfo mqtt =
        new WebPubSubMqttConnectInfo(
            5,
            "device-1",
            "secret-password".getBytes(StandardCharsets.UTF_8),
            List.of(new WebPubSubMqttUserProperty("api-key", "secret-property")));
    WebPubSubConnectRequest request =
        new WebPubSubConnectRequest(Map.of(), Map.of(), Map.of(), List.of("mqtt"), List.of(), mqtt);
    assertThat(request.toString())
        .contains("protocolVersion=5", "device-1", "password=[hidden]", "api-key")
        .doesNotContain("secret-password", "secret-property");
    assertThat(JsonMapper.builder().build().writeValueAsString(request))
        .contains("device-1")
        .doesNotContain(
            "password",
            Base64.getEncoder().encodeToString("secret-password".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void mqttConnectBindsFromTheServicesJsonWithTheBase64Password() {
    WebPubSubConnectRequest request =
        JsonMapper.builder()
            .build()
            .readValue(
                "{\"claims\":{},\"subprotocols\":[\"mqtt\"],\"mqtt\":{\"protocolVersion\":4,"
                    + "\"username\":\"u\",\"password\":\"AAEC/w==\",\"cleanStart\":true}}",
                WebPubSubConnectRequest.class);
    WebPubSubMqttConnectInfo mqtt = request.mqtt();
    assertThat(mqtt).isNotNull();
    assertThat(mqtt.protocolVersion()).isEqualTo(4);
    assertThat(mqtt.isMqtt5()).isFalse();
    assertThat(mqtt.password()).containsExactly(0, 1, 2, 255);
    assertThat(mqtt.userProperties()).isEmpty();
    assertThat(request.query()).isEmpty();
  }

  @Test
  void passwordCannotBeChangedThroughTheArrayGivenOrReturned() {
    byte[] password = {1, 2};
    WebPubSubMqttConnectInfo mqtt = new WebPubSubMqttConnectInfo(5, null, password, null);
    password[0] = 9;
    byte[] returned = mqtt.password();
    assertThat(returned).containsExactly(1, 2);
    returned[1] = 9;
    assertThat(mqtt.password()).containsExactly(1, 2);
    assertThat(mqtt).isEqualTo(new WebPubSubMqttConnectInfo(5, null, new byte[] {1, 2}, List.of()));
  }

  @Test
  void sourceCompatibleConstructorLeavesMqttUnset() {
    assertThat(new WebPubSubConnectRequest(null, null, null, null, null).mqtt()).isNull();
    assertThat(new WebPubSubDisconnectedRequest("bye").mqtt()).isNull();
  }
}
