package io.github.webpubsub.eventhandler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Listener methods answering client invocations and MQTT clients' events, as an application would
 * write them; records what ran.
 */
class InvocationAndMqttListeners {

  final List<String> calls = new CopyOnWriteArrayList<>();

  record Operands(int a, int b) {}

  record Sum(int sum, @Nullable String by) {}

  // --- invocations (hub chat)

  @WebPubSubInvocationListener(hub = "chat", event = "add")
  Sum add(Operands operands, WebPubSubConnectionContext context) {
    this.calls.add("add " + operands);
    return new Sum(operands.a() + operands.b(), context.getUserId());
  }

  @WebPubSubInvocationListener("shout")
  Mono<String> shout(String text) {
    return Mono.just(text.toUpperCase(java.util.Locale.ROOT));
  }

  @WebPubSubInvocationListener("reverse")
  byte[] reverse(byte[] data) {
    byte[] reversed = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      reversed[i] = data[data.length - 1 - i];
    }
    return reversed;
  }

  @WebPubSubInvocationListener("touch")
  void touch(WebPubSubConnectionContext context) {
    this.calls.add("touch " + context.getConnectionId());
  }

  @WebPubSubInvocationListener("withdraw")
  Mono<Sum> withdraw(Operands amount) {
    return Mono.error(WebPubSubEventRejectedException.badRequest("Insufficient funds"));
  }

  @WebPubSubInvocationListener("secret")
  String secret() {
    throw WebPubSubEventRejectedException.forbidden("Only admins may read the secret");
  }

  @WebPubSubInvocationListener("crash")
  String crash() {
    this.calls.add("crash");
    throw new IllegalStateException("database password is hunter2");
  }

  @WebPubSubInvocationListener("wait")
  Mono<String> waitForever() {
    return Mono.<String>never()
        .doOnSubscribe(subscription -> this.calls.add("wait started"))
        .doOnCancel(() -> this.calls.add("wait cancelled"));
  }

  // --- MQTT (hub devices)

  @WebPubSubConnectListener(hub = "devices")
  WebPubSubConnectResponse connectDevice(WebPubSubConnectRequest request) {
    WebPubSubMqttConnectInfo mqtt = request.mqtt();
    if (mqtt == null) {
      throw WebPubSubEventRejectedException.badRequest("devices connect with MQTT");
    }
    this.calls.add("connect " + mqtt);
    String password = mqtt.passwordAsString();
    if ("banned".equals(mqtt.username())) {
      throw WebPubSubEventRejectedException.forbidden("banned device, not shown to the client");
    }
    if ("broken".equals(mqtt.username())) {
      throw new IllegalStateException("device registry down: jdbc://secret");
    }
    if ("busy".equals(mqtt.username())) {
      throw new WebPubSubMqttConnectRejectedException(
          151, "Quota exceeded", List.of(new WebPubSubMqttUserProperty("retry-after", "60")));
    }
    if (!"s3cret".equals(password)) {
      throw WebPubSubMqttConnectRejectedException.badUsernameOrPassword(mqtt, "unknown device");
    }
    return WebPubSubConnectResponse.accept()
        .userId(String.valueOf(mqtt.username()))
        .groups("telemetry")
        .mqttUserProperties(new WebPubSubMqttUserProperty("welcome", "yes"));
  }

  @WebPubSubDisconnectedListener(hub = "devices")
  void deviceGone(WebPubSubDisconnectedRequest request) {
    WebPubSubMqttDisconnectInfo mqtt = request.mqtt();
    WebPubSubMqttDisconnectPacket packet = (mqtt != null) ? mqtt.disconnectPacket() : null;
    this.calls.add(
        "disconnected reason="
            + request.reason()
            + " byClient="
            + ((mqtt != null) ? mqtt.initiatedByClient() : null)
            + " code="
            + ((packet != null) ? packet.code() : null)
            + " properties="
            + ((packet != null) ? packet.userProperties() : null));
  }
}
