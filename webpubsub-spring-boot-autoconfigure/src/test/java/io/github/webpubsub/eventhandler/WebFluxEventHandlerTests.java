package io.github.webpubsub.eventhandler;

import org.springframework.boot.test.context.SpringBootTest;

/** The event handler on WebFlux (Reactor Netty), replaying the service's requests. */
@SpringBootTest(
    classes = EventHandlerTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat,news,devices",
      "webpubsub.event-handler.allowed-origins=partner.example.com"
    })
class WebFluxEventHandlerTests extends AbstractEventHandlerTests {}
