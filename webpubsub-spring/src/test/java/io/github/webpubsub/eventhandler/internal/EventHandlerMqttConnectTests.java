package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.eventhandler.WebPubSubConnectEvent;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubConnectResponse;
import io.github.webpubsub.eventhandler.WebPubSubEventRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.WebPubSubMqttConnectRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubMqttUserProperty;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connect answer of an MQTT client (client-protocols-2 section 3.4) as the core writes it: the
 * {@code CONNACK} user properties of an accepted client, and for a refused one the status and the
 * {@code {"mqtt":{"code":..}}} body whose code the service turns into the client's {@code CONNACK}.
 */
class EventHandlerMqttConnectTests {

  private static final String KEY = "mqtt-test-access-key";

  private static final String CONNECTION_ID = "conn1";

  private final List<Object> published = new ArrayList<>();

  private final List<Observation.Context> failedObservations = new ArrayList<>();

  private final Device device = new Device();

  private final EventHandlerCore core;

  EventHandlerMqttConnectTests() throws Exception {
    ListenerRegistry registry = new ListenerRegistry();
    registry.register(
        new ListenerMethod(
            WebPubSubEventType.CONNECT,
            "",
            "",
            () -> this.device,
            Device.class.getDeclaredMethod("connect", WebPubSubConnectRequest.class)));
    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onError(Observation.Context context) {
                EventHandlerMqttConnectTests.this.failedObservations.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    this.core =
        new EventHandlerCore(
            registry,
            () -> List.of(KEY),
            () -> URI.create("https://contoso.webpubsub.azure.com"),
            List.of(),
            List.of(),
            1024,
            JsonMapper.builder().build(),
            this.published::add,
            () -> observations,
            null);
  }

  @Test
  void acceptedClientGetsItsConnackUserProperties() {
    this.device.answer =
        WebPubSubConnectResponse.accept()
            .userId("dev1")
            .mqttUserProperties(
                new WebPubSubMqttUserProperty("welcome", "yes"),
                new WebPubSubMqttUserProperty("region", "eu"));

    EventHandlerResponse response = connect(5);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("Content-Type", "application/json");
    assertThat(text(response))
        .isEqualTo(
            "{\"userId\":\"dev1\",\"mqtt\":{\"userProperties\":[{\"name\":\"welcome\","
                + "\"value\":\"yes\"},{\"name\":\"region\",\"value\":\"eu\"}]}}");
    assertThat(this.published).singleElement().isInstanceOf(WebPubSubConnectEvent.class);
  }

  @Test
  void acceptedClientWithOnlyUserPropertiesIsNotAnEmptyAnswer() {
    this.device.answer =
        WebPubSubConnectResponse.accept()
            .mqttUserProperties(new WebPubSubMqttUserProperty("welcome", "yes"));

    EventHandlerResponse response = connect(5);

    assertThat(response.status()).isEqualTo(200);
    assertThat(text(response))
        .isEqualTo("{\"mqtt\":{\"userProperties\":[{\"name\":\"welcome\",\"value\":\"yes\"}]}}");
  }

  @Test
  void mqttRejectionIsAnsweredWithItsStatusCodeReasonAndUserProperties() {
    this.device.failure =
        new WebPubSubMqttConnectRejectedException(
            151, "Quota exceeded", List.of(new WebPubSubMqttUserProperty("retry-after", "60")));

    EventHandlerResponse response = connect(5);

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.headers()).containsEntry("Content-Type", "application/json");
    assertThat(text(response))
        .isEqualTo(
            "{\"mqtt\":{\"code\":151,\"reason\":\"Quota exceeded\","
                + "\"userProperties\":[{\"name\":\"retry-after\",\"value\":\"60\"}]}}");
    assertThat(this.published).isEmpty();
    assertThat(this.failedObservations).isEmpty();
  }

  @Test
  void mqttRejectionWithoutReasonOrUserPropertiesSendsOnlyTheCode() {
    this.device.failure = new WebPubSubMqttConnectRejectedException(4, null);

    EventHandlerResponse response = connect(4);

    assertThat(response.status()).isEqualTo(401);
    assertThat(text(response)).isEqualTo("{\"mqtt\":{\"code\":4}}");
  }

  @ParameterizedTest(name = "status {0}: MQTT 5 code {1}, MQTT 3.1.1 code {2}")
  @CsvSource({"400, 134, 4", "401, 135, 5", "403, 135, 5", "409, 128, 3"})
  void plainRejectionGetsTheCodeItsStatusMapsToAndNoReason(int status, int mqtt5, int mqtt311) {
    this.device.failure = new WebPubSubEventRejectedException(status, "not shown to the client");

    EventHandlerResponse five = connect(5);
    EventHandlerResponse three = connect(4);

    assertThat(five.status()).isEqualTo(status);
    assertThat(text(five)).isEqualTo("{\"mqtt\":{\"code\":" + mqtt5 + "}}");
    assertThat(three.status()).isEqualTo(status);
    assertThat(text(three)).isEqualTo("{\"mqtt\":{\"code\":" + mqtt311 + "}}");
    assertThat(this.failedObservations).isEmpty();
  }

  @Test
  void failingListenerIsA500WithTheUnspecifiedErrorCodeAndAFailedObservation() {
    IllegalStateException failure = new IllegalStateException("device registry down: jdbc://x");
    this.device.failure = failure;

    EventHandlerResponse five = connect(5);
    EventHandlerResponse three = connect(4);

    assertThat(five.status()).isEqualTo(500);
    assertThat(text(five)).isEqualTo("{\"mqtt\":{\"code\":128}}");
    assertThat(three.status()).isEqualTo(500);
    assertThat(text(three)).isEqualTo("{\"mqtt\":{\"code\":3}}");
    assertThat(this.failedObservations)
        .hasSize(2)
        .allSatisfy(context -> assertThat(context.getError()).isSameAs(failure));
  }

  @Test
  void mqttRejectionOfAClientThatIsNotAnMqttClientIsATextAnswerWithItsStatus() {
    this.device.failure = new WebPubSubMqttConnectRejectedException(135, "not a device");

    EventHandlerResponse response =
        this.core
            .handle(post("{\"claims\":{},\"subprotocols\":[\"json.webpubsub.azure.v1\"]}"))
            .block();

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers()).containsEntry("Content-Type", "text/plain;charset=UTF-8");
    assertThat(text(response)).isEqualTo("MQTT connect rejected with code 135: not a device");
    assertThat(this.failedObservations).isEmpty();
  }

  private EventHandlerResponse connect(int protocolVersion) {
    return this.core.handle(post(mqttConnectBody(protocolVersion))).block();
  }

  private static String mqttConnectBody(int protocolVersion) {
    return "{\"claims\":{},\"subprotocols\":[\"mqtt\"],\"mqtt\":{\"protocolVersion\":"
        + protocolVersion
        + ",\"username\":\"dev1\",\"password\":\""
        + Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))
        + "\"}}";
  }

  private static EventHandlerRequest post(String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("ce-type", "azure.webpubsub.sys.connect");
    headers.set("ce-hub", "devices");
    headers.set("ce-connectionId", CONNECTION_ID);
    headers.set("ce-eventName", "connect");
    headers.set("ce-signature", SignatureValidator.signature(KEY, CONNECTION_ID));
    return EventHandlerDispatchTests.request("POST", headers, body);
  }

  private static String text(EventHandlerResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static class Device {

    WebPubSubConnectResponse answer = WebPubSubConnectResponse.accept();

    @Nullable RuntimeException failure;

    WebPubSubConnectResponse connect(WebPubSubConnectRequest request) {
      if (this.failure != null) {
        throw this.failure;
      }
      return this.answer;
    }
  }
}
