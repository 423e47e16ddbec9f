package io.github.webpubsub.eventhandler;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * On Spring MVC (Tomcat) the container notices an aborted asynchronous request at its async timeout
 * (Tomcat's connector {@code asyncTimeout}, 30 s by default), here shortened to one second; the
 * listener's {@code Mono} is cancelled then.
 */
@SpringBootTest(
    classes = {
      EventHandlerTestApplication.class,
      ServletInvocationCancellationTests.ShortAsyncTimeout.class
    },
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=servlet",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat"
    })
class ServletInvocationCancellationTests {

  @LocalServerPort int port;

  @Autowired InvocationAndMqttListeners listeners;

  @Autowired ChatListeners chatListeners;

  @Autowired EventHandlerTestApplication.RecordedObservations observations;

  @Test
  void invocationTheServiceAbandonsIsCancelledAtTheAsyncTimeoutAndObserved() {
    AbstractInvocationAndMqttTests.assertAbandonedInvocationIsCancelled(
        this.port, this.listeners, this.chatListeners, this.observations);
  }

  @Configuration(proxyBeanMethods = false)
  static class ShortAsyncTimeout {

    @Bean
    TomcatConnectorCustomizer shortAsyncTimeout() {
      return connector -> connector.setAsyncTimeout(1000);
    }
  }
}
