package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The small public types of the template: what each enum value stands for on the wire, the
 * constraints configuration code checks values with, filter equality, the response exception's
 * parts and the JSON serializer.
 */
class ValueTypesTests {

  // ---- enums: the values sent to the service ----

  @Test
  void permissionsHaveTheirRestValueAndAreFoundByIt() {
    assertThat(WebPubSubPermission.SEND_TO_GROUP.value()).isEqualTo("sendToGroup");
    assertThat(WebPubSubPermission.JOIN_LEAVE_GROUP.value()).isEqualTo("joinLeaveGroup");
    assertThat(WebPubSubPermission.fromValue("sendToGroup"))
        .isEqualTo(WebPubSubPermission.SEND_TO_GROUP);
    assertThat(WebPubSubPermission.fromValue("joinLeaveGroup"))
        .isEqualTo(WebPubSubPermission.JOIN_LEAVE_GROUP);
  }

  @Test
  void anUnknownPermissionValueIsRefusedNamingTheAllowedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubPermission.fromValue("SendToGroup"))
        .withMessage("permission must be 'sendToGroup' or 'joinLeaveGroup' but was 'SendToGroup'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubPermission.fromValue(null))
        .withMessage("permission must be 'sendToGroup' or 'joinLeaveGroup' but was 'null'");
  }

  @Test
  void eachClientProtocolHasItsClientTypeAndPath() {
    assertThat(WebPubSubClientProtocol.DEFAULT.clientType()).isEqualTo("default");
    assertThat(WebPubSubClientProtocol.DEFAULT.pathPrefix()).isEqualTo("client/hubs/");
    assertThat(WebPubSubClientProtocol.MQTT.clientType()).isEqualTo("mqtt");
    assertThat(WebPubSubClientProtocol.MQTT.pathPrefix()).isEqualTo("clients/mqtt/hubs/");
    assertThat(WebPubSubClientProtocol.SOCKETIO.clientType()).isEqualTo("socketio");
    assertThat(WebPubSubClientProtocol.SOCKETIO.pathPrefix()).isEqualTo("clients/socketio/hubs/");
  }

  @Test
  void eachContentTypeHasItsMediaType() {
    assertThat(WebPubSubContentType.TEXT.mediaType()).isEqualTo("text/plain");
    assertThat(WebPubSubContentType.JSON.mediaType()).isEqualTo("application/json");
    assertThat(WebPubSubContentType.BINARY.mediaType()).isEqualTo("application/octet-stream");
  }

  // ---- WebPubSubConstraints: the template's own rules, for configuration code ----

  @Test
  void constraintsAcceptWhatTheTemplateAccepts() {
    String key = "k".repeat(WebPubSubConstraints.MIN_ACCESS_KEY_BYTES);

    assertThat(WebPubSubConstraints.MIN_ACCESS_KEY_BYTES).isEqualTo(32);
    assertThat(WebPubSubConstraints.checkAccessKey("accessKey", key)).isSameAs(key);
    assertThat(WebPubSubConstraints.checkHub("Chat_1")).isEqualTo("Chat_1");
    assertThat(
            WebPubSubConstraints.checkEndpoint(
                "endpoint", URI.create("HTTPS://contoso.webpubsub.azure.com:8443/")))
        .isEqualTo(URI.create("https://contoso.webpubsub.azure.com:8443"));
  }

  @Test
  void constraintsRefuseWithTheNameTheCallerGave() {
    String shortKey = "secret-".repeat(4) + "123"; // 31 bytes

    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubConstraints.checkAccessKey("spring.webpubsub.key", shortKey))
        .withMessage(
            "spring.webpubsub.key is too short to sign HS256 tokens: it has 31 bytes, at least 32"
                + " are needed")
        .withMessageNotContaining("secret");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubConstraints.checkHub("1chat"))
        .withMessage(
            "hub must start with a letter followed by up to 127 letters, digits or _`,.[] but was"
                + " '1chat'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                WebPubSubConstraints.checkEndpoint(
                    "spring.webpubsub.endpoint", URI.create("https://host/api")))
        .withMessage(
            "spring.webpubsub.endpoint must not have a path (http(s)://host[:port]) but was"
                + " 'https://host/api'");
  }

  // ---- ODataFilter equality ----

  @Test
  void filtersAreEqualWhenTheirExpressionsAre() {
    ODataFilter filter = ODataFilter.userId().eq("a").and(ODataFilter.inGroup("g"));
    ODataFilter same = ODataFilter.raw("userId eq 'a'").and(ODataFilter.inGroup("g"));
    ODataFilter sameText = ODataFilter.userId().eq("a").and(ODataFilter.inGroup("g"));

    assertThat(filter).isEqualTo(sameText).hasSameHashCodeAs(sameText);
    assertThat(filter.hashCode()).isEqualTo("userId eq 'a' and 'g' in groups".hashCode());
    // the raw filter is parenthesised, so its expression differs
    assertThat(filter).isNotEqualTo(same).isNotEqualTo(ODataFilter.userId().eq("b"));
    assertThat(filter).isNotEqualTo("userId eq 'a' and 'g' in groups").isNotEqualTo(null);
  }

  // ---- WebPubSubResponseException ----

  @Test
  void responseExceptionCarriesStatusCodeAndRequestId() {
    WebPubSubResponseException ex =
        new WebPubSubResponseException("sendToAll failed: 403", 403, "Forbidden.Role", "req-1");

    assertThat(ex).hasMessage("sendToAll failed: 403").hasNoCause();
    assertThat(ex.getStatusCode()).isEqualTo(403);
    assertThat(ex.getErrorCode()).isEqualTo("Forbidden.Role");
    assertThat(ex.getRequestId()).isEqualTo("req-1");
    assertThat(new WebPubSubResponseException("m", 500, null, null).getErrorCode()).isNull();
  }

  // ---- JacksonJsonSerializer ----

  record Greeting(String text, List<Integer> numbers) {}

  @Test
  void jacksonSerializerWritesJsonWithTheGivenOrTheDefaultMapper() {
    Greeting greeting = new Greeting("hi", List.of(1, 2));
    String expected = "{\"text\":\"hi\",\"numbers\":[1,2]}";

    assertThat(new JacksonJsonSerializer(JsonMapper.builder().build()).serialize(greeting))
        .asString()
        .isEqualTo(expected);
    assertThat(JacksonJsonSerializer.defaults().serialize(greeting)).asString().isEqualTo(expected);
    assertThat(new JacksonJsonSerializer(JsonMapper.builder().build()))
        .hasToString("JacksonJsonSerializer");
  }

  static final class Unwritable {

    public Object getSelf() {
      return this;
    }
  }

  @Test
  void aMessageJacksonCannotWriteIsAnIllegalArgumentNamingItsType() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JacksonJsonSerializer.defaults().serialize(new Unwritable()))
        .withMessage(
            "message of type io.github.webpubsub.core.ValueTypesTests$Unwritable cannot be"
                + " written as JSON");
  }

  @Test
  @SuppressWarnings("NullAway")
  void jacksonSerializerNeedsAMapper() {
    org.assertj.core.api.Assertions.assertThatNullPointerException()
        .isThrownBy(() -> new JacksonJsonSerializer(null))
        .withMessage("jsonMapper must not be null");
  }
}
