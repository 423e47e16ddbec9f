package io.github.webpubsub.samples.chat;

import io.github.webpubsub.emulator.boot.test.AutoConfigureWebPubSubEmulator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The browser scenario against the application in the test's JVM and the test's emulator; saves
 * {@code target/chat-browser.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebPubSubEmulator
class ChatBrowserIntegrationTests extends ChatBrowserScenario {

  @LocalServerPort private int port;

  @Override
  int port() {
    return this.port;
  }

  @Override
  String screenshotName() {
    return "chat-browser.png";
  }
}
