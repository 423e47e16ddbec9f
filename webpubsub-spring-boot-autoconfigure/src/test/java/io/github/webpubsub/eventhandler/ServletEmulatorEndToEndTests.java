package io.github.webpubsub.eventhandler;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The emulator and real clients against the event handler on Spring MVC (Tomcat), through {@code
 * ServletEventHandlerAdapter}.
 */
@SpringBootTest(
    classes = AbstractEmulatorEndToEndTests.EndToEndApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=servlet",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat"
    })
class ServletEmulatorEndToEndTests extends AbstractEmulatorEndToEndTests {}
