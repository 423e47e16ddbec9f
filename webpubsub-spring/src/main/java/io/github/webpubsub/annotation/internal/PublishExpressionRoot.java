package io.github.webpubsub.annotation.internal;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Root object ({@code #root}) of the SpEL expressions in publishing annotations.
 *
 * @param method the annotated method
 * @param args the arguments of the call
 * @param target the bean the method was called on
 * @param targetClass the bean's class
 * @param result the value being published
 * @since 0.1.0
 */
public record PublishExpressionRoot(
    Method method,
    @Nullable Object[] args,
    @Nullable Object target,
    Class<?> targetClass,
    Object result) {}
