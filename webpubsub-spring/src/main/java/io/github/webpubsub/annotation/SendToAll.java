package io.github.webpubsub.annotation;

import io.github.webpubsub.core.WebPubSubContentType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Publishes the annotated method's result to every connection of a hub through the application's
 * {@link io.github.webpubsub.core.WebPubSubOperations}. On a type, applies to every public method
 * declared there that has no publishing annotation of its own.
 *
 * <p>Return types: a plain value is published before the method returns; {@code Mono} and {@code
 * CompletableFuture} publish the value when it arrives and complete after the publish succeeded;
 * {@code Flux} publishes each element, in order, before passing it on. {@code void}, {@code null},
 * empty and {@code Optional.empty()} publish nothing. A failed publish reaches the caller unless
 * {@code webpubsub.annotations.failure-mode=log}. A plain return type waits for the publish (at
 * most {@code webpubsub.annotations.block-timeout}) and so must not be called on a non-blocking
 * (Reactor) thread: such a call fails before the method runs. Repeatable, and usable as a
 * meta-annotation.
 *
 * <pre>
 * &#64;SendToAll(excluded = "#{#senderConnectionId}")
 * public Flux&lt;Tick&gt; ticks(String senderConnectionId) { ... }
 * </pre>
 *
 * @see io.github.webpubsub.annotation
 * @since 0.1.0
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(SendToAll.List.class)
public @interface SendToAll {

  /** Hub to publish to (literal, placeholder or SpEL template); empty for the default hub. */
  String hub() default "";

  /**
   * Connection ids that must not receive the message. Each element is a literal, a placeholder or a
   * SpEL template; a single {@code #{...}} expression may yield a collection or an array of ids,
   * and a {@code null} or blank id is skipped.
   */
  String[] excluded() default {};

  /**
   * Content type of the message; empty (the default) infers it from the value: text for a {@code
   * CharSequence}, binary for bytes, JSON for any other object. At most one.
   */
  WebPubSubContentType[] contentType() default {};

  /**
   * SpEL expression that must be {@code true} for the value to be published, e.g. {@code "#result
   * != null && #result.visible"}; empty to always publish.
   */
  String condition() default "";

  /**
   * Container of repeated {@link SendToAll} annotations.
   *
   * @since 0.1.0
   */
  @Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface List {

    /** The repeated annotations. */
    SendToAll[] value();
  }
}
