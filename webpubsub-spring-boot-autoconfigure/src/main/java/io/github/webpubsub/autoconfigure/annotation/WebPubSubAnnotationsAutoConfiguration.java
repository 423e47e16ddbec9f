package io.github.webpubsub.autoconfigure.annotation;

import io.github.webpubsub.annotation.WebPubSubPublishingAdvisor;
import io.github.webpubsub.autoconfigure.InvalidWebPubSubPropertyException;
import io.github.webpubsub.core.WebPubSubOperations;
import java.time.Duration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of annotation-driven publishing: methods of any bean annotated with
 * {@code @SendToGroup}, {@code @SendToUser}, {@code @SendToConnection} or {@code @SendToAll}
 * publish their result through the {@link WebPubSubOperations} bean. Off with {@code
 * webpubsub.annotations.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration")
@ConditionalOnBean(WebPubSubOperations.class)
@ConditionalOnBooleanProperty(name = "webpubsub.annotations.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebPubSubAnnotationsProperties.class)
@Import(PublishingAutoProxyRegistrar.class)
public final class WebPubSubAnnotationsAutoConfiguration {

  /** Order of the advisor: outside advisors left at the default order, such as transactions. */
  static final int ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static WebPubSubPublishingAdvisor webPubSubPublishingAdvisor(
      ObjectProvider<WebPubSubOperations> operations,
      Environment environment,
      BeanFactory beanFactory) {
    // Static, and bound straight from the environment: advisors are created while bean
    // post-processors are registered, before ordinary beans such as the properties may be.
    WebPubSubAnnotationsProperties properties =
        Binder.get(environment)
            .bindOrCreate("webpubsub.annotations", WebPubSubAnnotationsProperties.class);
    Duration blockTimeout = properties.getBlockTimeout();
    if (blockTimeout.isNegative() || blockTimeout.isZero()) {
      throw new InvalidWebPubSubPropertyException(
          "webpubsub.annotations.block-timeout", "must be positive but was " + blockTimeout, "30s");
    }
    WebPubSubPublishingAdvisor advisor =
        new WebPubSubPublishingAdvisor(
            operations::getObject,
            environment,
            beanFactory,
            properties.getFailureMode(),
            blockTimeout);
    advisor.setOrder(ADVISOR_ORDER);
    return advisor;
  }
}
