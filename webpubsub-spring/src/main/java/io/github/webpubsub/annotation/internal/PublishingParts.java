package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.core.WebPubSubOperations;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.PropertyResolver;

/**
 * The pointcut and the interceptor of annotation-driven publishing, built over one shared operation
 * source; the public advisor in the parent package is their only user.
 *
 * @param pointcut matches the methods that carry a publishing annotation
 * @param interceptor publishes their results
 */
public record PublishingParts(Pointcut pointcut, MethodInterceptor interceptor) {

  /**
   * Builds the parts.
   *
   * @param operations supplies the operations to publish through, asked on the first publish
   * @param placeholders resolves {@code ${...}} placeholders in annotation attributes
   * @param beanFactory resolves {@code @bean} references in expressions, or {@code null}
   * @param logFailures whether a failed publish is only logged instead of reaching the caller
   * @param blockTimeout how long a method with a plain return type waits for its publish
   * @return the parts
   */
  public static PublishingParts create(
      Supplier<WebPubSubOperations> operations,
      PropertyResolver placeholders,
      @Nullable BeanFactory beanFactory,
      boolean logFailures,
      Duration blockTimeout) {
    PublishOperationSource source = new PublishOperationSource(placeholders);
    return new PublishingParts(
        new PublishingPointcut(source),
        new PublishingInterceptor(source, operations, beanFactory, logFailures, blockTimeout));
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
