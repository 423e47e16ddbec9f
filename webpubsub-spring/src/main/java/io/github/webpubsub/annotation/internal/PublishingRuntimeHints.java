package io.github.webpubsub.annotation.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Native-image hints for annotation-driven publishing: SpEL reads the root object's accessors
 * ({@code #root.method}, {@code #root.args}, {@code #result}) reflectively. Registered in {@code
 * META-INF/spring/aot.factories}.
 */
public final class PublishingRuntimeHints implements RuntimeHintsRegistrar {

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    hints
        .reflection()
        .registerType(
            PublishExpressionRoot.class,
            MemberCategory.INVOKE_PUBLIC_METHODS,
            MemberCategory.ACCESS_DECLARED_FIELDS);
  }
}
