package io.github.webpubsub.emulator.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/** Hands the application's own web server port (not a management server's) to the wiring. */
final class EmulatorWebServerListener implements ApplicationListener<WebServerInitializedEvent> {

  private final ObjectProvider<EmulatorEventHandlers> eventHandlers;

  EmulatorWebServerListener(ObjectProvider<EmulatorEventHandlers> eventHandlers) {
    this.eventHandlers = eventHandlers;
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() != null) {
      return; // a separate management server, not the application's
    }
    int port = event.getWebServer().getPort();
    this.eventHandlers.ifAvailable((handlers) -> handlers.webServerStarted(port));
  }
}
