package io.github.webpubsub.samples.chat;

import io.github.webpubsub.eventhandler.WebPubSubConnectListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubConnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import io.github.webpubsub.eventhandler.WebPubSubEventRejectedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Handles the hub's upstream events: remembers each connection's room when it connects, announces
 * joins and leaves, and publishes every {@code message} event to the sender's room.
 */
@Component
class ChatListeners {

  static final String ROOM_STATE = "room";

  private static final String GROUP_CLAIM = "webpubsub.group";

  private static final Log logger = LogFactory.getLog(ChatListeners.class);

  private final ChatRoom chatRoom;

  ChatListeners(ChatRoom chatRoom) {
    this.chatRoom = chatRoom;
  }

  /** Accepts clients whose token names a user and one room, and keeps the room in the state. */
  @WebPubSubConnectListener(hub = "${webpubsub.hub}")
  void connect(WebPubSubConnectionContext context, WebPubSubConnectRequest request) {
    if (context.getUserId() == null) {
      throw WebPubSubEventRejectedException.unauthorized("a chat client needs a user id");
    }
    String room = request.claim(GROUP_CLAIM);
    try {
      context.setState(ROOM_STATE, ChatNames.room(room));
    } catch (IllegalArgumentException ex) {
      throw WebPubSubEventRejectedException.badRequest(String.valueOf(ex.getMessage()));
    }
  }

  @WebPubSubConnectedListener(hub = "${webpubsub.hub}")
  Mono<Void> connected(WebPubSubConnectionContext context) {
    String room = context.getState(ROOM_STATE, String.class);
    String user = context.getUserId();
    if (room == null || user == null) {
      logger.warn("Connection " + context.getConnectionId() + " has no room; no join notice");
      return Mono.empty();
    }
    return this.chatRoom.joined(room, user).then();
  }

  @WebPubSubDisconnectedListener(hub = "${webpubsub.hub}")
  Mono<Void> disconnected(WebPubSubConnectionContext context) {
    String room = context.getState(ROOM_STATE, String.class);
    String user = context.getUserId();
    if (room == null || user == null) {
      return Mono.empty();
    }
    return this.chatRoom.left(room, user).then();
  }

  /** Publishes the text a client sent as a {@code message} event to its room; no reply. */
  @WebPubSubEventListener(hub = "${webpubsub.hub}", event = "message")
  Mono<Void> message(String text, WebPubSubConnectionContext context) {
    String room = context.getState(ROOM_STATE, String.class);
    String user = context.getUserId();
    if (room == null || user == null) {
      throw WebPubSubEventRejectedException.forbidden("the connection has not joined a room");
    }
    String checked;
    try {
      checked = ChatNames.text(text);
    } catch (IllegalArgumentException ex) {
      throw WebPubSubEventRejectedException.badRequest(String.valueOf(ex.getMessage()));
    }
    return this.chatRoom.post(room, user, checked).then();
  }
}
