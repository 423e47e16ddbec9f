package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.annotation.internal.PublishOperation.Attribute;
import io.github.webpubsub.annotation.internal.PublishOperation.Destination;
import io.github.webpubsub.core.SendOptions;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubOperations;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.util.ObjectUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes the result of an annotated method through {@link WebPubSubOperations}, composing with
 * reactive return types and blocking (with a timeout, never on a non-blocking thread) for plain
 * ones.
 */
final class PublishingInterceptor implements MethodInterceptor {

  private static final Log logger = LogFactory.getLog(PublishingInterceptor.class);

  private final PublishOperationSource source;

  private final Supplier<WebPubSubOperations> operations;

  private final @Nullable BeanFactory beanFactory;

  private final boolean logFailures;

  private final Duration blockTimeout;

  private final ReactiveAdapterRegistry adapters = ReactiveAdapterRegistry.getSharedInstance();

  private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

  private final Map<String, WebPubSubOperations> hubs = new ConcurrentHashMap<>();

  PublishingInterceptor(
      PublishOperationSource source,
      Supplier<WebPubSubOperations> operations,
      @Nullable BeanFactory beanFactory,
      boolean logFailures,
      Duration blockTimeout) {
    this.source = source;
    this.operations = SingletonSupplier.of(operations);
    this.beanFactory = beanFactory;
    this.logFailures = logFailures;
    this.blockTimeout = blockTimeout;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
    List<PublishOperation> publishing =
        this.source.getOperations(invocation.getMethod(), targetClass);
    if (publishing.isEmpty()) {
      return invocation.proceed();
    }
    Call call = new Call(publishing, invocation.getArguments(), target, targetClass);
    Method method = invocation.getMethod();
    ReactiveAdapter adapter = this.adapters.getAdapter(method.getReturnType());
    if (adapter != null) {
      return publishReactive(adapter, invocation.proceed(), call);
    }
    boolean nonBlocking = Schedulers.isInNonBlockingThread();
    if (nonBlocking && !this.logFailures) {
      throw new IllegalStateException(
          publishing.get(0).description()
              + " returns a plain value but was called on the non-blocking thread '"
              + Thread.currentThread().getName()
              + "', where publishing would block it; return Mono or Flux instead, or set"
              + " webpubsub.annotations.failure-mode=log to publish in the background");
    }
    Object result = invocation.proceed();
    Object value = (result instanceof Optional<?> optional) ? optional.orElse(null) : result;
    if (value != null) {
      publishBlocking(call, value, nonBlocking);
    }
    return result;
  }

  private @Nullable Object publishReactive(
      ReactiveAdapter adapter, @Nullable Object result, Call call) {
    if (result == null || adapter.isNoValue()) {
      return result;
    }
    if (adapter.isMultiValue()) {
      return adapter.fromPublisher(
          Flux.from(adapter.toPublisher(result))
              .concatMap(value -> publish(call, value).thenReturn(value)));
    }
    return adapter.fromPublisher(
        Mono.from(adapter.toPublisher(result))
            .flatMap(value -> publish(call, value).thenReturn(value)));
  }

  private void publishBlocking(Call call, Object value, boolean nonBlocking) {
    Mono<Void> publish =
        publish(call, value)
            .timeout(
                this.blockTimeout,
                Mono.error(
                    () ->
                        new WebPubSubException(
                            "Publishing the result of "
                                + call.describe()
                                + " did not complete within "
                                + this.blockTimeout
                                + " (webpubsub.annotations.block-timeout)",
                            null)));
    if (nonBlocking) {
      // Only reached with failure-mode=log: failures are logged by publish(..), nothing to wait
      // for.
      publish.subscribe();
      return;
    }
    try {
      publish.block();
    } catch (RuntimeException ex) {
      Throwable cause = Exceptions.unwrap(ex);
      throw (cause instanceof RuntimeException runtime) ? runtime : ex;
    }
  }

  /** Publishes one value to every annotation of the call, in order. */
  private Mono<Void> publish(Call call, Object value) {
    return Mono.defer(
        () -> {
          PublishExpressionRoot root =
              new PublishExpressionRoot(
                  call.method(),
                  call.args(),
                  call.target(),
                  (call.targetClass() != null)
                      ? call.targetClass()
                      : call.method().getDeclaringClass(),
                  value);
          MethodBasedEvaluationContext context =
              new MethodBasedEvaluationContext(
                  root, call.method(), call.args(), this.parameterNames);
          context.setVariable("result", value);
          if (this.beanFactory != null) {
            context.setBeanResolver(new BeanFactoryResolver(this.beanFactory));
          }
          return Flux.fromIterable(call.operations())
              .concatMap(operation -> publish(operation, context, value))
              .then();
        });
  }

  private Mono<Void> publish(PublishOperation operation, EvaluationContext context, Object value) {
    Mono<Void> send = Mono.defer(() -> send(operation, context, value));
    if (!this.logFailures) {
      return send;
    }
    return send.onErrorResume(
        ex -> {
          logger.warn(
              "Publishing with "
                  + operation.description()
                  + " failed; the result is returned anyway (webpubsub.annotations.failure-mode=log)",
              ex);
          return Mono.empty();
        });
  }

  private Mono<Void> send(PublishOperation operation, EvaluationContext context, Object value) {
    if (operation.condition() != null
        && !Boolean.TRUE.equals(
            evaluate(operation, operation.condition(), context, Boolean.class))) {
      return Mono.empty();
    }
    WebPubSubOperations hubOperations = hubOperations(operation, context);
    SendOptions options = SendOptions.defaults();
    List<String> excluded = excluded(operation, context);
    if (!excluded.isEmpty()) {
      options = options.excluding(excluded);
    }
    if (operation.contentType() != null) {
      options = options.contentType(operation.contentType());
    }
    Destination destination = operation.destination();
    if (destination == Destination.ALL) {
      return hubOperations.sendToAll(value, options);
    }
    String target = text(operation, operation.target(), context);
    return switch (destination) {
      case GROUP -> hubOperations.sendToGroup(target, value, options);
      case USER -> hubOperations.sendToUser(target, value, options);
      default -> hubOperations.sendToConnection(target, value, options);
    };
  }

  private WebPubSubOperations hubOperations(PublishOperation operation, EvaluationContext context) {
    Attribute hub = operation.hub();
    WebPubSubOperations defaults = this.operations.get();
    if (hub == null) {
      return defaults;
    }
    if (hub.isLiteral()) {
      return this.hubs.computeIfAbsent(hub.text(), defaults::forHub);
    }
    return defaults.forHub(text(operation, hub, context));
  }

  private List<String> excluded(PublishOperation operation, EvaluationContext context) {
    List<String> ids = new ArrayList<>();
    for (Attribute attribute : operation.excluded()) {
      Object value = evaluate(operation, attribute, context, Object.class);
      if (value instanceof Collection<?> collection) {
        collection.forEach(id -> addId(ids, id));
      } else if (value != null && value.getClass().isArray()) {
        for (Object id : ObjectUtils.toObjectArray(value)) {
          addId(ids, id);
        }
      } else {
        addId(ids, value);
      }
    }
    return ids;
  }

  private static void addId(List<String> ids, @Nullable Object id) {
    if (id != null && StringUtils.hasText(id.toString())) {
      ids.add(id.toString());
    }
  }

  /** Evaluates a target or hub: one non-blank value, else an error naming the attribute. */
  private String text(
      PublishOperation operation, @Nullable Attribute attribute, EvaluationContext context) {
    if (attribute == null) {
      throw new IllegalStateException(operation.description() + " has no target");
    }
    Object value = evaluate(operation, attribute, context, Object.class);
    if (value instanceof Collection<?> || (value != null && value.getClass().isArray())) {
      throw new IllegalArgumentException(
          operation.description()
              + ": "
              + attribute.name()
              + " '"
              + attribute.text()
              + "' must evaluate to a single value but was a "
              + value.getClass().getSimpleName());
    }
    if (value == null || !StringUtils.hasText(value.toString())) {
      throw new IllegalArgumentException(
          operation.description()
              + ": "
              + attribute.name()
              + " '"
              + attribute.text()
              + "' must not evaluate to null or blank but was "
              + ((value == null) ? "null" : "'" + value + "'"));
    }
    return value.toString();
  }

  private static <T> @Nullable T evaluate(
      PublishOperation operation, Attribute attribute, EvaluationContext context, Class<T> type) {
    try {
      return attribute.expression().getValue(context, type);
    } catch (EvaluationException ex) {
      throw new IllegalArgumentException(
          operation.description()
              + ": could not evaluate "
              + attribute.name()
              + " '"
              + attribute.text()
              + "': "
              + ex.getMessage(),
          ex);
    }
  }

  /** One call of an annotated method: what to publish and what the expressions may read. */
  private record Call(
      List<PublishOperation> operations,
      @Nullable Object[] args,
      @Nullable Object target,
      @Nullable Class<?> targetClass) {

    Method method() {
      return this.operations.get(0).method();
    }

    String describe() {
      return PublishOperationSource.describe(method());
    }
  }
}
