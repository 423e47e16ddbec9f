package io.github.webpubsub.autoconfigure.eventhandler;

import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.Environment;

/**
 * Warns once the context is refreshed when listeners name hubs that this application's event
 * handler does not serve ({@code webpubsub.event-handler.hubs}), or, with no such setting, when no
 * listener names the default hub ({@code webpubsub.hub}) while some name others: the service then
 * answers its clients that no event handler is configured for their hub.
 */
final class ListenerHubsReporter implements ApplicationListener<ContextRefreshedEvent> {

  private static final Log logger = LogFactory.getLog(ListenerHubsReporter.class);

  private final WebPubSubEventHandler eventHandler;

  private final List<String> servedHubs;

  private final Environment environment;

  private boolean reported;

  ListenerHubsReporter(
      WebPubSubEventHandler eventHandler, List<String> servedHubs, Environment environment) {
    this.eventHandler = eventHandler;
    this.servedHubs = servedHubs;
    this.environment = environment;
  }

  @Override
  public void onApplicationEvent(ContextRefreshedEvent event) {
    if (this.reported) {
      return;
    }
    this.reported = true;
    Set<String> listenerHubs = new TreeSet<>(this.eventHandler.getListenerHubs());
    if (listenerHubs.isEmpty()) {
      return;
    }
    Set<String> served =
        this.servedHubs.stream()
            .map(String::trim)
            .filter((hub) -> !hub.isEmpty())
            .map((hub) -> hub.toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(TreeSet::new));
    if (!served.isEmpty()) {
      Set<String> unserved = new TreeSet<>(listenerHubs);
      unserved.removeAll(served);
      if (!unserved.isEmpty()) {
        logger.warn(
            "Web PubSub listeners for hub(s) "
                + unserved
                + " will never run: webpubsub.event-handler.hubs="
                + String.join(",", served)
                + " refuses their events. Add them to webpubsub.event-handler.hubs.");
      }
      return;
    }
    String defaultHub = this.environment.getProperty("webpubsub.hub");
    if (defaultHub != null
        && !defaultHub.isBlank()
        && !listenerHubs.contains(defaultHub.trim().toLowerCase(Locale.ROOT))) {
      logger.warn(
          "Web PubSub listeners name hub(s) "
              + listenerHubs
              + " but not webpubsub.hub '"
              + defaultHub.trim()
              + "': clients of hub '"
              + defaultHub.trim()
              + "' get no events handled here, and the listeners' hubs get events only where the"
              + " service has an event handler for them pointed at this application (the embedded"
              + " emulator sets those up itself). Use the same hub in both, or list the hubs in"
              + " webpubsub.event-handler.hubs.");
    }
  }
}
