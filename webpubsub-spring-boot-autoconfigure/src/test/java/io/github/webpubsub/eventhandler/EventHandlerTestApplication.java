package io.github.webpubsub.eventhandler;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A chat application with listener methods; run as WebFlux or as Spring MVC by the tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
class EventHandlerTestApplication {

  @Bean
  WebPubSubConnectionDetails webPubSubConnectionDetails() {
    return CloudEvents.connectionDetails();
  }

  @Bean
  RecordedObservations recordedObservations() {
    return new RecordedObservations();
  }

  @Bean
  ObservationRegistry observationRegistry(RecordedObservations recorded) {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(recorded.handler);
    return registry;
  }

  /**
   * Keeps every stopped observation's context. Not itself a handler bean, which Boot would add to
   * the registry a second time.
   */
  static final class RecordedObservations {

    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    final ObservationHandler<Observation.Context> handler =
        new ObservationHandler<>() {
          @Override
          public void onStop(Observation.Context context) {
            RecordedObservations.this.stopped.add(context);
          }

          @Override
          public boolean supportsContext(Observation.Context context) {
            return true;
          }
        };
  }

  @Bean
  ChatListeners chatListeners() {
    return new ChatListeners();
  }

  @Bean
  InvocationAndMqttListeners invocationAndMqttListeners() {
    return new InvocationAndMqttListeners();
  }
}
