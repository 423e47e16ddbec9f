package io.github.webpubsub.annotation;

import io.github.webpubsub.annotation.internal.PublishingParts;
import io.github.webpubsub.core.WebPubSubOperations;
import java.time.Duration;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.Assert;

/**
 * AOP advisor that applies annotation-driven publishing ({@link SendToGroup}, {@link SendToUser},
 * {@link SendToConnection}, {@link SendToAll}) to the methods of Spring beans. Registered as an
 * infrastructure bean by {@link EnableWebPubSubPublishing} or by Spring Boot's auto-configuration,
 * so that any auto-proxy creator picks it up.
 *
 * @since 0.1.0
 */
public final class WebPubSubPublishingAdvisor extends AbstractPointcutAdvisor {

  private final transient Pointcut pointcut;

  private final transient Advice advice;

  /**
   * Creates the advisor.
   *
   * @param operations supplies the operations to publish through, asked on the first publish
   * @param placeholders resolves {@code ${...}} placeholders in annotation attributes
   * @param beanFactory resolves {@code @bean} references in expressions, or {@code null}
   * @param failureMode what happens when a publish fails
   * @param blockTimeout how long a method with a plain (non-reactive) return type waits for its
   *     publish; positive
   * @throws IllegalArgumentException when {@code blockTimeout} is not positive
   */
  public WebPubSubPublishingAdvisor(
      Supplier<WebPubSubOperations> operations,
      PropertyResolver placeholders,
      @Nullable BeanFactory beanFactory,
      PublishingFailureMode failureMode,
      Duration blockTimeout) {
    Assert.notNull(operations, "operations must not be null");
    Assert.notNull(placeholders, "placeholders must not be null");
    Assert.notNull(failureMode, "failureMode must not be null");
    Assert.notNull(blockTimeout, "blockTimeout must not be null");
    if (blockTimeout.isNegative() || blockTimeout.isZero()) {
      throw new IllegalArgumentException(
          "blockTimeout (webpubsub.annotations.block-timeout) must be positive but was "
              + blockTimeout);
    }
    PublishingParts parts =
        PublishingParts.create(
            operations,
            placeholders,
            beanFactory,
            failureMode == PublishingFailureMode.LOG,
            blockTimeout);
    this.pointcut = parts.pointcut();
    this.advice = parts.interceptor();
  }

  @Override
  public Pointcut getPointcut() {
    return this.pointcut;
  }

  @Override
  public Advice getAdvice() {
    return this.advice;
  }
}
