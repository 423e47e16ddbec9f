package io.github.webpubsub.autoconfigure.observation;

import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubTemplateCustomizer;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.core.observation.WebPubSubMeterObservationHandler;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that observes the auto-configured {@link WebPubSubTemplate} with Boot's {@link
 * ObservationRegistry}, through a {@link WebPubSubTemplateCustomizer}; a {@link
 * WebPubSubObservationConvention} bean replaces the default convention. With a {@link
 * MeterRegistry}, a {@link WebPubSubMeterObservationHandler} records the operations' meters (the
 * ones Micrometer's default handler would, plus {@value
 * WebPubSubMeterObservationHandler#PAYLOAD_METRIC_NAME}) without looking them up on every send: at
 * order 0 among the meter observation handlers, which Boot groups so that the first one in order
 * that supports an observation records it, it takes the Web PubSub observations before Boot's
 * unordered default handler and leaves every other observation to it.
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
  static class MeterObservationConfiguration {

    /** Where the handler goes among the meter observation handlers: before Boot's default one. */
    static final int ORDER = 0;

    @Bean
    @Order(ORDER)
    @ConditionalOnMissingBean
    WebPubSubMeterObservationHandler webPubSubMeterObservationHandler(
        MeterRegistry meterRegistry, Environment environment) {
      // What Boot gives its DefaultMeterObservationHandler, bound here so that the handler works
      // with or without Boot's metrics auto-configuration module.
      IgnoredMeters[] ignored =
          Binder.get(environment)
              .bind(
                  "management.metrics.observations.ignored-meters",
                  Bindable.setOf(IgnoredMeters.class))
              .map((meters) -> meters.toArray(new IgnoredMeters[0]))
              .orElse(new IgnoredMeters[0]);
      return new WebPubSubMeterObservationHandler(meterRegistry, ignored);
    }
  }
}
