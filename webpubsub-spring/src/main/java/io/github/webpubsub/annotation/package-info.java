/**
 * Annotation-driven publishing: {@link io.github.webpubsub.annotation.SendToGroup}, {@link
 * io.github.webpubsub.annotation.SendToUser}, {@link
 * io.github.webpubsub.annotation.SendToConnection} and {@link
 * io.github.webpubsub.annotation.SendToAll} publish a bean method's result through the
 * application's {@link io.github.webpubsub.core.WebPubSubOperations}.
 *
 * <p>String attributes take a literal, {@code ${property}} placeholders (resolved once at start-up)
 * and {@code #{...}} SpEL templates evaluated on every call, with the method's arguments by name
 * ({@code #room}, or {@code #p0}/{@code #a0}), {@code #result} (the value being published) and
 * {@code @beanName} references; {@code #root} offers {@code method}, {@code args}, {@code target},
 * {@code targetClass} and {@code result}. {@code condition} is a plain SpEL expression, as in
 * {@code @Cacheable(condition = ...)}.
 */
@NullMarked
package io.github.webpubsub.annotation;

import org.jspecify.annotations.NullMarked;
