package io.github.webpubsub.autoconfigure.observation;

import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubTemplateCustomizer;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubPayloadObservationHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration that observes the auto-configured {@link WebPubSubTemplate} with Boot's {@link
 * ObservationRegistry}, through a {@link WebPubSubTemplateCustomizer}; a {@link
 * WebPubSubObservationConvention} bean replaces the default convention. With a {@link
 * MeterRegistry}, also records request body sizes as {@value
 * WebPubSubPayloadObservationHandler#METRIC_NAME}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
    before = WebPubSubAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass({ObservationRegistry.class, WebPubSubTemplate.class})
@ConditionalOnBean(ObservationRegistry.class)
public final class WebPubSubObservationAutoConfiguration {

  @Bean
  WebPubSubTemplateCustomizer webPubSubObservationTemplateCustomizer(
      ObservationRegistry observationRegistry,
      ObjectProvider<WebPubSubObservationConvention> observationConvention) {
    return (builder) ->
        builder
            .observationRegistry(observationRegistry)
            .observationConvention(observationConvention.getIfAvailable());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class PayloadMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WebPubSubPayloadObservationHandler webPubSubPayloadObservationHandler(
        MeterRegistry meterRegistry) {
      return new WebPubSubPayloadObservationHandler(meterRegistry);
    }
  }
}
