package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubEventType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Listener methods by event and hub. At most one listener per event kind, event name and hub; a
 * listener for the event's hub wins over one for any hub. Hub and event names compare
 * case-insensitively, as the service treats them.
 */
public final class ListenerRegistry {

  private final Map<Key, ListenerMethod> listeners = new ConcurrentHashMap<>();

  /**
   * Adds a listener.
   *
   * @param listener the listener
   * @throws IllegalStateException when another listener already serves the same event and hub
   */
  public void register(ListenerMethod listener) {
    Key key = Key.of(listener.eventType(), listener.eventName(), listener.hub());
    ListenerMethod existing = this.listeners.putIfAbsent(key, listener);
    if (existing != null) {
      throw new IllegalStateException(
          "Web PubSub listeners "
              + existing.describe()
              + " and "
              + listener.describe()
              + " both handle "
              + describe(listener)
              + ((existing.invocation() || listener.invocation())
                  ? " (the service sends an invocation as the user event of the same name)"
                  : "")
              + "; keep one (use @EventListener on WebPubSubEvent types to observe an event"
              + " in several places)");
    }
  }

  @Nullable ListenerMethod find(WebPubSubEventType eventType, String eventName, String hub) {
    String name = (eventType == WebPubSubEventType.USER) ? eventName : "";
    ListenerMethod exact = this.listeners.get(Key.of(eventType, name, hub));
    return (exact != null) ? exact : this.listeners.get(Key.of(eventType, name, ""));
  }

  /** Hubs named by a listener, lower case; listeners for any hub are not included. */
  public Set<String> hubs() {
    return this.listeners.keySet().stream()
        .map(Key::hub)
        .filter(hub -> !hub.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Number of registered listeners. */
  public int size() {
    return this.listeners.size();
  }

  private static String describe(ListenerMethod listener) {
    String event =
        (listener.eventType() == WebPubSubEventType.USER)
            ? "user event '" + listener.eventName() + "'"
            : listener.eventType().tagValue();
    String hub = listener.hub().isEmpty() ? "any hub" : "hub '" + listener.hub() + "'";
    return event + " of " + hub;
  }

  private record Key(WebPubSubEventType eventType, String eventName, String hub) {

    static Key of(WebPubSubEventType eventType, String eventName, String hub) {
      return new Key(eventType, eventName.toLowerCase(Locale.ROOT), hub.toLowerCase(Locale.ROOT));
    }
  }
}
