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
 * Marks a bean method that handles a user event ({@code azure.webpubsub.user.<event>}) sent by
 * clients, e.g. {@code message} from simple WebSocket clients or {@code {"type":"event"}} from JSON
 * clients.
 *
 * <p>Parameters may be a {@link WebPubSubConnectionContext}, a {@link java.security.Principal} (the
 * signed {@code ce-userId}, see {@link WebPubSubPrincipal}; {@code null} when anonymous) and one
 * data parameter bound from the body as {@code String}, {@code byte[]} or any type mapped from
 * JSON. The return value is sent back to the calling client: a {@code String} as text, a {@code
 * byte[]} as binary, any other object as JSON, {@code void}/{@code null} for no reply; a {@code
 * Mono} of those works too. Throw {@link WebPubSubEventRejectedException} to answer with an error
 * status. To answer a client's invocation ({@code invokeEvent}) with errors the client sees, use
 * {@link WebPubSubInvocationListener}.
 *
 * @since 0.1.0
 */
@Reflective(ListenerMethodReflectiveProcessor.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebPubSubEventListener {

  /** Alias for {@link #event()}. */
  @AliasFor("event")
  String value() default "";

  /** User event name, e.g. {@code message}; {@code ${...}} placeholders are resolved. */
  @AliasFor("value")
  String event() default "";

  /** Hub the listener serves; empty means any hub. {@code ${...}} placeholders are resolved. */
  String hub() default "";
}
