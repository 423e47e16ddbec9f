package io.github.webpubsub.eventhandler;

import io.github.webpubsub.eventhandler.internal.ListenerMethodReflectiveProcessor;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method that answers a client's invocation: a JSON client's {@code
 * {"type":"invoke","target":"event","event":"<event>"}} (JavaScript {@code invokeEvent}), which the
 * service forwards as the user event {@code azure.webpubsub.user.<event>} and whose answer it
 * returns to the caller as {@code invokeResponse}.
 *
 * <p>Parameters are bound as for {@link WebPubSubEventListener}: a {@link
 * WebPubSubConnectionContext}, a {@link java.security.Principal} and one data parameter ({@code
 * String}, {@code byte[]} or any type mapped from JSON). The return value, or the value of a
 * returned {@code Mono}, is the invocation's result: a {@code String} as {@code text}, a {@code
 * byte[]} as {@code binary}, any other object as {@code json}, {@code void}/{@code null} for
 * success without data. Throw {@link WebPubSubEventRejectedException} to fail the invocation with
 * an error the client sees: its status picks the error name ({@code 400 BadRequest}, {@code
 * 401}/{@code 403 Forbidden}, {@code 404 NotFound}) and its reason is the error message. Any other
 * exception fails the invocation with {@code 500 InternalServerError} and the message {@code
 * Invocation failed}; the exception is logged, never sent. When the service gives up on the call
 * (the client sent {@code cancelInvocation}, or a timeout), a returned {@code Mono} is cancelled.
 *
 * <p>The service sends an invocation exactly as a user event of the same name, so a method
 * annotated with this serves that event's plain user events too, and no {@link
 * WebPubSubEventListener} may serve the same event and hub.
 *
 * @since 0.1.0
 */
@Reflective(ListenerMethodReflectiveProcessor.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebPubSubInvocationListener {

  /** Alias for {@link #event()}. */
  @AliasFor("event")
  String value() default "";

  /** Event name the client invokes, e.g. {@code add}; {@code ${...}} placeholders are resolved. */
  @AliasFor("value")
  String event() default "";

  /** Hub the listener serves; empty means any hub. {@code ${...}} placeholders are resolved. */
  String hub() default "";
}
