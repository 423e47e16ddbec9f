package io.github.webpubsub.autoconfigure.health;

import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.CompositeReactiveHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code webpubsub} health contributor, when Spring Boot's health support
 * is present and {@code management.health.webpubsub.enabled} is not {@code false}. One {@link
 * WebPubSubOperations} bean gives one indicator; several (an application talking to several
 * services) give a composite with one indicator per bean name, as Boot does for several RabbitMQ
 * connection factories.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebPubSubAutoConfiguration.class)
@ConditionalOnClass(AbstractReactiveHealthIndicator.class)
@ConditionalOnBean(WebPubSubOperations.class)
@ConditionalOnEnabledHealthIndicator("webpubsub")
@EnableConfigurationProperties(WebPubSubHealthProperties.class)
public final class WebPubSubHealthContributorAutoConfiguration
    extends CompositeReactiveHealthContributorConfiguration<
        WebPubSubHealthIndicator, WebPubSubOperations> {

  WebPubSubHealthContributorAutoConfiguration(WebPubSubHealthProperties properties) {
    super(
        (operations) ->
            new WebPubSubHealthIndicator(
                operations, endpoint(operations), properties.getTimeout()));
  }

  // The bean name, minus "HealthContributor", is the component name: "webpubsub", matching
  // management.health.webpubsub.enabled.
  @Bean
  @ConditionalOnMissingBean(name = {"webpubsubHealthIndicator", "webpubsubHealthContributor"})
  ReactiveHealthContributor webpubsubHealthContributor(
      ConfigurableListableBeanFactory beanFactory) {
    return createContributor(beanFactory, WebPubSubOperations.class);
  }

  private static @Nullable URI endpoint(WebPubSubOperations operations) {
    return (operations instanceof WebPubSubTemplate template) ? template.getEndpoint() : null;
  }
}
