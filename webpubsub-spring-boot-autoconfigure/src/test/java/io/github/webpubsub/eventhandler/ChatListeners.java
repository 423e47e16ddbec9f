package io.github.webpubsub.eventhandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import reactor.core.publisher.Mono;

/** Listener methods a chat application would write; records what ran. */
class ChatListeners {

  final List<String> calls = new CopyOnWriteArrayList<>();

  final List<WebPubSubEvent> applicationEvents = new CopyOnWriteArrayList<>();

  record ChatMessage(String text, int priority) {}

  record ChatReply(String echoed, int priority, String user) {}

  @WebPubSubConnectListener(hub = "chat")
  WebPubSubConnectResponse connect(
      WebPubSubConnectionContext context, WebPubSubConnectRequest request) {
    String sub = request.claim("sub");
    this.calls.add(
        "connect "
            + context.getHub()
            + " "
            + context.getConnectionId()
            + " sub="
            + sub
            + " query="
            + request.query()
            + " subprotocols="
            + request.subprotocols()
            + " cert="
            + request.clientCertificates().get(0).thumbprint());
    if ("mallory".equals(sub)) {
      throw WebPubSubEventRejectedException.forbidden("mallory is banned");
    }
    context.setState("room", "lobby");
    return WebPubSubConnectResponse.accept()
        .userId(sub + "-verified")
        .groups("room1")
        .roles("webpubsub.sendToGroup.room1");
  }

  @WebPubSubConnectedListener
  void connected(WebPubSubConnectionContext context) {
    this.calls.add("connected " + context.getHub() + " " + context.getUserId());
  }

  @WebPubSubDisconnectedListener(hub = "${test.hub:chat}")
  void disconnected(WebPubSubDisconnectedRequest request, WebPubSubConnectionContext context) {
    this.calls.add("disconnected " + context.getConnectionId() + " reason=" + request.reason());
  }

  @WebPubSubEventListener(hub = "chat", event = "message")
  String message(String text, WebPubSubConnectionContext context) {
    this.calls.add("message " + text);
    return "echo: " + text + " in " + context.getState("room", String.class);
  }

  @WebPubSubEventListener(hub = "chat", event = "chat")
  ChatReply chat(ChatMessage message, WebPubSubConnectionContext context) {
    this.calls.add("chat " + message);
    return new ChatReply(message.text(), message.priority(), context.getUserId());
  }

  @WebPubSubEventListener("binary")
  byte[] binary(byte[] data) {
    byte[] reversed = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      reversed[i] = data[data.length - 1 - i];
    }
    this.calls.add("binary " + data.length);
    return reversed;
  }

  @WebPubSubEventListener("later")
  Mono<String> later(String data) {
    return Mono.delay(Duration.ofMillis(50)).map(tick -> "later: " + data);
  }

  @WebPubSubEventListener("remember")
  void remember(String data, WebPubSubConnectionContext context) {
    context.setState("last", data);
    context.removeState("room");
  }

  @WebPubSubEventListener("fail")
  void fail() {
    this.calls.add("fail");
    throw new IllegalStateException("boom with secret details");
  }

  @EventListener
  void on(WebPubSubEvent event) {
    this.applicationEvents.add(event);
  }
}
