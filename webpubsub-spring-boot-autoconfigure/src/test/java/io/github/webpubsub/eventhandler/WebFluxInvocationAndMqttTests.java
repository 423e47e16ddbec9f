package io.github.webpubsub.eventhandler;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The event handler on WebFlux (Reactor Netty), answering invocations and MQTT clients' events. */
@SpringBootTest(
    classes = EventHandlerTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat,news,devices",
      "webpubsub.event-handler.allowed-origins=partner.example.com"
    })
class WebFluxInvocationAndMqttTests extends AbstractInvocationAndMqttTests {

  @Test
  void invocationTheServiceAbandonsIsCancelledAtOnceAndObserved() {
    assertAbandonedInvocationIsCancelled(
        this.port, this.listeners, this.chatListeners, this.observations);
  }
}
