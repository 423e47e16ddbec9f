package io.github.webpubsub.emulator.boot;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.Environment;

/**
 * Points the emulator's event handlers at this application once its web server's port is known, and
 * writes the one start-up line that says where the emulator runs, which hubs are wired and how to
 * use Azure instead. The line never contains the key.
 */
final class EmulatorEventHandlers
    implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

  static final String DEFAULT_PATH = "/eventhandler";

  private static final Log logger = LogFactory.getLog(WebPubSubEmulatorAutoConfiguration.class);

  private final WebPubSubEmulator emulator;

  private final ObjectProvider<WebPubSubEventHandler> eventHandler;

  private final Environment environment;

  private final String reason;

  private @Nullable ApplicationContext applicationContext;

  private @Nullable String url;

  private Set<String> hubs = Set.of();

  private boolean reported;

  EmulatorEventHandlers(
      WebPubSubEmulator emulator,
      ObjectProvider<WebPubSubEventHandler> eventHandler,
      Environment environment,
      String reason) {
    this.emulator = emulator;
    this.eventHandler = eventHandler;
    this.environment = environment;
    this.reason = reason;
  }

  @Override
  public void setApplicationContext(ApplicationContext applicationContext) {
    this.applicationContext = applicationContext;
  }

  /** Sets the event handler of every hub this application handles to its own endpoint. */
  synchronized void webServerStarted(int port) {
    WebPubSubEventHandler handler = this.eventHandler.getIfAvailable();
    if (handler == null) {
      return; // no endpoint serves events in this application
    }
    String path = this.environment.getProperty("webpubsub.event-handler.path", DEFAULT_PATH);
    String url = "http://localhost:" + port + path + "/{event}";
    Set<String> hubs = hubs(handler);
    for (String hub : hubs) {
      this.emulator.addEventHandler(hub, url);
    }
    this.url = url;
    this.hubs = hubs;
  }

  /** The hubs wired so far, lower case. */
  synchronized Set<String> getHubs() {
    return this.hubs;
  }

  @Override
  public synchronized void onApplicationEvent(ContextRefreshedEvent event) {
    if (this.reported || event.getApplicationContext() != this.applicationContext) {
      return; // a child context (a management server) or a second refresh
    }
    this.reported = true;
    logger.info(startupLine());
  }

  synchronized String startupLine() {
    String wiring =
        (this.url != null)
            ? "event handlers of hub(s) " + this.hubs + " -> " + this.url
            : "no event handlers (no web server serves the event handler endpoint)";
    return "Web PubSub emulator running in-process at "
        + this.emulator.getEndpoint()
        + " ("
        + this.reason
        + "); "
        + wiring
        + ". Set webpubsub.connection-string to use Azure Web PubSub"
        + " (webpubsub.emulator.enabled=false turns the emulator off).";
  }

  private Set<String> hubs(WebPubSubEventHandler handler) {
    Set<String> hubs = new TreeSet<>(handler.getListenerHubs());
    Binder.get(this.environment)
        .bind("webpubsub.event-handler.hubs", Bindable.listOf(String.class))
        .orElse(List.of())
        .forEach((hub) -> add(hubs, hub));
    add(hubs, this.environment.getProperty("webpubsub.hub"));
    return Collections.unmodifiableSet(hubs);
  }

  private static void add(Set<String> hubs, @Nullable String hub) {
    if (hub != null && !hub.isBlank()) {
      hubs.add(hub.trim().toLowerCase(Locale.ROOT));
    }
  }
}
