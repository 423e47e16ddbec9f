package io.github.webpubsub.eventhandler;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The emulator and real clients against the event handler on WebFlux (Reactor Netty), through
 * {@code WebFluxEventHandlerAdapter}.
 */
@SpringBootTest(
    classes = AbstractEmulatorEndToEndTests.EndToEndApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat"
    })
class WebFluxEmulatorEndToEndTests extends AbstractEmulatorEndToEndTests {}
