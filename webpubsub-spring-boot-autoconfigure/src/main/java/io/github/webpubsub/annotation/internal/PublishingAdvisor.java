package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.core.WebPubSubOperations;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.PropertyResolver;

/**
 * AOP advisor that applies annotation-driven publishing ({@code @SendToGroup} and kin) to the
 * methods of Spring beans. Registered by the auto-configuration as an infrastructure bean, so any
 * auto-proxy creator picks it up.
 *
 * @since 0.1.0
 */
public final class PublishingAdvisor extends AbstractPointcutAdvisor {

  private final transient Pointcut pointcut;

  private final transient PublishingInterceptor interceptor;

  /**
   * Creates the advisor.
   *
   * @param operations supplies the operations to publish through, asked on the first publish
   * @param placeholders resolves {@code ${...}} placeholders in annotation attributes
   * @param beanFactory resolves {@code @bean} references in expressions, or {@code null}
   * @param logFailures whether a failed publish is only logged instead of reaching the caller
   * @param blockTimeout how long a method with a plain return type waits for its publish
   */
  public PublishingAdvisor(
      Supplier<WebPubSubOperations> operations,
      PropertyResolver placeholders,
      @Nullable BeanFactory beanFactory,
      boolean logFailures,
      Duration blockTimeout) {
    if (blockTimeout.isNegative() || blockTimeout.isZero()) {
      throw new IllegalArgumentException(
          "webpubsub.annotations.block-timeout must be positive but was " + blockTimeout);
    }
    PublishOperationSource source = new PublishOperationSource(placeholders);
    this.pointcut = new PublishingPointcut(source);
    this.interceptor =
        new PublishingInterceptor(source, operations, beanFactory, logFailures, blockTimeout);
  }

  @Override
  public Pointcut getPointcut() {
    return this.pointcut;
  }

  @Override
  public Advice getAdvice() {
    return this.interceptor;
  }

  /** Matches the methods that carry a publishing annotation, themselves or through their class. */
  private static final class PublishingPointcut extends StaticMethodMatcherPointcut {

    private final PublishOperationSource source;

    PublishingPointcut(PublishOperationSource source) {
      this.source = source;
      setClassFilter(new PublishingClassFilter(source));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return !this.source.getOperations(method, targetClass).isEmpty();
    }
  }

  private record PublishingClassFilter(PublishOperationSource source) implements ClassFilter {

    @Override
    public boolean matches(Class<?> clazz) {
      return this.source.hasOperations(clazz);
    }
  }
}
