package io.github.webpubsub.emulator.boot.testapp;

import io.github.webpubsub.eventhandler.WebPubSubConnectListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * Records the users whose connect event reached hub {@code chat}, and answers {@code ping} events
 * on a second hub, {@code other}.
 */
@Component
public class Listeners {

  private final List<String> connectedUsers = new CopyOnWriteArrayList<>();

  @WebPubSubConnectListener(hub = "${webpubsub.hub}")
  void connect(WebPubSubConnectionContext context) {
    this.connectedUsers.add(String.valueOf(context.getUserId()));
  }

  @WebPubSubEventListener(hub = "other", event = "ping")
  String ping(String text) {
    return "pong " + text;
  }

  /**
   * Users whose connect event ran the listener, in order.
   *
   * @return a copy
   */
  public List<String> connectedUsers() {
    return List.copyOf(this.connectedUsers);
  }
}
