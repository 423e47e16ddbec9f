package io.github.webpubsub.annotation;

import io.github.webpubsub.annotation.internal.PublishingConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Turns on annotation-driven publishing in a plain Spring application: methods of any bean
 * annotated with {@link SendToGroup}, {@link SendToUser}, {@link SendToConnection} or {@link
 * SendToAll} publish their result through the application's {@code WebPubSubOperations} bean, as
 * {@code @EnableCaching} turns on {@code @Cacheable}. Spring Boot applications need not add it: the
 * starter's auto-configuration does the same, driven by {@code webpubsub.annotations.*}.
 *
 * <pre>{@code
 * @Configuration
 * @EnableWebPubSubPublishing
 * class AppConfig {
 *   @Bean
 *   WebPubSubTemplate webPubSubTemplate() { ... }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(PublishingConfiguration.class)
public @interface EnableWebPubSubPublishing {

  /**
   * What happens when a publish fails.
   *
   * @return the failure mode
   */
  PublishingFailureMode failureMode() default PublishingFailureMode.PROPAGATE;

  /**
   * How long a method with a plain (non-reactive) return type waits for its publish, as a {@code
   * java.time.Duration} string ({@code PT30S}) or a number with a unit ({@code 30s}, {@code
   * 500ms}); {@code ${...}} placeholders are resolved.
   *
   * @return the timeout
   */
  String blockTimeout() default "30s";

  /**
   * Whether proxies subclass the bean instead of implementing its interfaces.
   *
   * @return {@code true} for class-based proxies
   */
  boolean proxyTargetClass() default true;

  /**
   * Order of the publishing advisor among the advisors of a bean.
   *
   * @return the order; by default outside advisors left at the default order, such as transactions
   */
  int order() default Ordered.LOWEST_PRECEDENCE - 100;
}
