package io.github.webpubsub.autoconfigure.health;

import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.health.WebPubSubHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code webpubsub} health indicator, when Spring Boot's health support
 * is present and {@code management.health.webpubsub.enabled} is not {@code false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebPubSubAutoConfiguration.class)
@ConditionalOnClass(AbstractReactiveHealthIndicator.class)
@ConditionalOnBean({WebPubSubOperations.class, WebPubSubConnectionDetails.class})
@ConditionalOnEnabledHealthIndicator("webpubsub")
@EnableConfigurationProperties(WebPubSubHealthProperties.class)
public final class WebPubSubHealthContributorAutoConfiguration {

  // The bean name, minus "HealthIndicator", is the component name: "webpubsub", matching
  // management.health.webpubsub.enabled.
  @Bean(name = "webpubsubHealthIndicator")
  @ConditionalOnMissingBean(name = "webpubsubHealthIndicator")
  WebPubSubHealthIndicator webpubsubHealthIndicator(
      WebPubSubOperations operations,
      WebPubSubConnectionDetails connectionDetails,
      WebPubSubHealthProperties properties) {
    return new WebPubSubHealthIndicator(
        operations, connectionDetails.getEndpoint(), properties.getTimeout());
  }
}
