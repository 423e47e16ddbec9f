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
 * Marks a bean method that decides whether a client may connect (the blocking {@code connect}
 * event). Parameters may be a {@link WebPubSubConnectionContext} and a {@link
 * WebPubSubConnectRequest} (claims, query, headers, subprotocols, client certificates). Return
 * {@code void}/{@code null} to accept with the token's defaults, a {@link WebPubSubConnectResponse}
 * (or a {@code Mono} of one) to set user id, groups, roles or subprotocol, or throw {@link
 * WebPubSubEventRejectedException} to refuse with 400, 401 or 403. An MQTT client's request carries
 * its {@code CONNECT} packet's fields in {@link WebPubSubConnectRequest#mqtt()}; throw {@link
 * WebPubSubMqttConnectRejectedException} to refuse it with an MQTT reason code.
 *
 * @since 0.1.0
 */
@Reflective(ListenerMethodReflectiveProcessor.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebPubSubConnectListener {

  /** Alias for {@link #hub()}. */
  @AliasFor("hub")
  String value() default "";

  /** Hub the listener serves; empty means any hub. {@code ${...}} placeholders are resolved. */
  @AliasFor("value")
  String hub() default "";
}
