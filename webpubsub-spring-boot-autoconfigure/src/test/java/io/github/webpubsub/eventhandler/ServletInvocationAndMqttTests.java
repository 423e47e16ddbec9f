package io.github.webpubsub.eventhandler;

import org.springframework.boot.test.context.SpringBootTest;

/** The event handler on Spring MVC (Tomcat), answering invocations and MQTT clients' events. */
@SpringBootTest(
    classes = EventHandlerTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=servlet",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat,news,devices",
      "webpubsub.event-handler.allowed-origins=https://partner.example.com"
    })
class ServletInvocationAndMqttTests extends AbstractInvocationAndMqttTests {}
