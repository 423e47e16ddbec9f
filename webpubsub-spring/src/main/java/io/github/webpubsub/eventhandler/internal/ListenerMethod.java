package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubConnectResponse;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.WebPubSubPrincipal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One annotated listener method: which event it serves, how its parameters are bound and how its
 * return value is read. Signatures are checked when the method is registered.
 */
public final class ListenerMethod {

  private static final Log logger = LogFactory.getLog(ListenerMethod.class);

  private final WebPubSubEventType eventType;

  private final String eventName;

  private final String hub;

  private final Supplier<Object> bean;

  private final Method method;

  private final int principalIndex;

  private final int contextIndex;

  private final int dataIndex;

  private final @Nullable Type dataType;

  private final boolean returnsPublisher;

  private final boolean invocation;

  /**
   * Describes a listener method.
   *
   * @param eventType kind of event served
   * @param eventName user event name (empty for system events)
   * @param hub hub served, empty for any
   * @param bean supplies the target bean when the method is invoked
   * @param method the method, invocable on the bean
   * @throws IllegalStateException when the signature is not supported
   */
  public ListenerMethod(
      WebPubSubEventType eventType,
      String eventName,
      String hub,
      Supplier<Object> bean,
      Method method) {
    this(eventType, eventName, hub, bean, method, false);
  }

  /**
   * Describes a listener method.
   *
   * @param eventType kind of event served
   * @param eventName user event name (empty for system events)
   * @param hub hub served, empty for any
   * @param bean supplies the target bean when the method is invoked
   * @param method the method, invocable on the bean
   * @param invocation whether the method answers client invocations ({@code
   *     WebPubSubInvocationListener}); only for user events
   * @throws IllegalStateException when the signature is not supported
   */
  public ListenerMethod(
      WebPubSubEventType eventType,
      String eventName,
      String hub,
      Supplier<Object> bean,
      Method method,
      boolean invocation) {
    this.eventType = eventType;
    this.invocation = invocation;
    this.eventName = eventName;
    this.hub = hub;
    this.bean = bean;
    this.method = method;
    int context = -1;
    int principal = -1;
    int data = -1;
    Type type = null;
    for (int i = 0; i < method.getParameterCount(); i++) {
      Class<?> parameterType = method.getParameterTypes()[i];
      if (WebPubSubConnectionContext.class.equals(parameterType)) {
        context = check(context, i, "WebPubSubConnectionContext");
      } else if (Principal.class.equals(parameterType)) {
        principal = check(principal, i, "Principal");
      } else {
        data = check(data, i, "data");
        type = method.getGenericParameterTypes()[i];
      }
    }
    this.contextIndex = context;
    this.principalIndex = principal;
    this.dataIndex = data;
    this.dataType = type;
    Class<?> returnType = method.getReturnType();
    if (Flux.class.isAssignableFrom(returnType)) {
      throw invalid("returns a Flux; return a Mono (one reply at most)");
    }
    this.returnsPublisher = Publisher.class.isAssignableFrom(returnType);
    if (eventType == WebPubSubEventType.CONNECT) {
      Class<?> answer =
          this.returnsPublisher
              ? ResolvableType.forMethodParameter(new MethodParameter(method, -1))
                  .getGeneric(0)
                  .toClass()
              : returnType;
      if (!(answer == void.class
          || answer == Void.class
          || answer == Object.class
          || WebPubSubConnectResponse.class.equals(answer))) {
        throw invalid(
            "returns "
                + returnType.getSimpleName()
                + "; a connect listener returns void, WebPubSubConnectResponse or a Mono of it");
      }
    }
    ReflectionUtils.makeAccessible(method);
  }

  private int check(int existing, int index, String what) {
    if (existing >= 0) {
      throw invalid(
          "declares more than one "
              + what
              + " parameter; allowed are one WebPubSubConnectionContext and one data parameter"
              + " (String, byte[] or a JSON-mapped type)");
    }
    return index;
  }

  private IllegalStateException invalid(String problem) {
    return new IllegalStateException("Web PubSub listener " + describe() + " " + problem);
  }

  WebPubSubEventType eventType() {
    return this.eventType;
  }

  String eventName() {
    return this.eventName;
  }

  String hub() {
    return this.hub;
  }

  /** Whether the method answers client invocations. */
  boolean invocation() {
    return this.invocation;
  }

  /** Method name for messages, e.g. {@code ChatListeners.onMessage}. */
  String describe() {
    return ClassUtils.getShortName(this.method.getDeclaringClass()) + "." + this.method.getName();
  }

  /**
   * Invokes the method.
   *
   * @param context the connection context
   * @param body the raw body
   * @param parsedBody the body as the core parsed it (e.g. the connect request), reused when the
   *     data parameter has its type
   * @param jsonMapper maps JSON data parameters
   * @return the result (empty for none); errors with {@link MalformedEventException} when the data
   *     does not bind, otherwise with what the method threw
   */
  Mono<Object> invoke(
      WebPubSubConnectionContext context,
      byte[] body,
      @Nullable Object parsedBody,
      JsonMapper jsonMapper) {
    return Mono.defer(
        () -> {
          Object[] args = new Object[this.method.getParameterCount()];
          if (this.contextIndex >= 0) {
            args[this.contextIndex] = context;
          }
          if (this.principalIndex >= 0) {
            args[this.principalIndex] = WebPubSubPrincipal.of(context.getUserId());
          }
          if (this.dataIndex >= 0 && this.dataType != null) {
            args[this.dataIndex] = bindData(body, parsedBody, jsonMapper, this.dataType);
          }
          Object result;
          try {
            result = this.method.invoke(this.bean.get(), args);
          } catch (InvocationTargetException ex) {
            return Mono.error(ex.getTargetException());
          } catch (IllegalAccessException ex) {
            return Mono.error(new IllegalStateException("Cannot invoke " + describe(), ex));
          }
          if (result == null) {
            return Mono.empty();
          }
          if (this.returnsPublisher) {
            return Mono.from((Publisher<?>) result).cast(Object.class);
          }
          return Mono.just(result);
        });
  }

  private Object bindData(
      byte[] body, @Nullable Object parsedBody, JsonMapper jsonMapper, Type type) {
    if (type == String.class) {
      return new String(body, StandardCharsets.UTF_8);
    }
    if (type == byte[].class) {
      return body;
    }
    if (parsedBody != null && type == parsedBody.getClass()) {
      return parsedBody;
    }
    try {
      Object value = jsonMapper.readValue(body, jsonMapper.constructType(type));
      if (value == null) {
        if (logger.isDebugEnabled()) {
          logger.debug("Event data is empty; " + describe() + " needs data");
        }
        throw new MalformedEventException("Event data is empty; the listener needs data");
      }
      return value;
    } catch (JacksonException ex) {
      // The answer reaches the client: it names no class or method of the application.
      if (logger.isDebugEnabled()) {
        logger.debug(
            "Event data is not JSON of the type " + describe() + " expects (" + type + ")");
      }
      throw new MalformedEventException("Event data is not JSON of the type the listener expects");
    }
  }
}
