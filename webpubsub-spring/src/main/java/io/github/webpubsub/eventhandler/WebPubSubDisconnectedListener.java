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
 * Marks a bean method notified after a client disconnected (the non-blocking {@code disconnected}
 * event). Parameters may be a {@link WebPubSubConnectionContext} and a {@link
 * WebPubSubDisconnectedRequest} carrying the reason; the return value is ignored except a {@code
 * Mono}, which is awaited.
 *
 * @since 0.1.0
 */
@Reflective(ListenerMethodReflectiveProcessor.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebPubSubDisconnectedListener {

  /** Alias for {@link #hub()}. */
  @AliasFor("hub")
  String value() default "";

  /** Hub the listener serves; empty means any hub. {@code ${...}} placeholders are resolved. */
  @AliasFor("value")
  String hub() default "";
}
