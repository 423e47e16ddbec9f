package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * Native-image hints for a {@code @WebPubSub*Listener} method, found by Spring's AOT processing
 * through the annotations' {@code @Reflective}: the method is invoked reflectively, its data
 * parameter is bound from JSON and its return value written as JSON.
 */
public final class ListenerMethodReflectiveProcessor implements ReflectiveProcessor {

  private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

  @Override
  public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
    if (!(element instanceof Method method)) {
      return;
    }
    hints.registerMethod(method, ExecutableMode.INVOKE);
    for (int i = 0; i < method.getParameterCount(); i++) {
      Class<?> type = method.getParameterTypes()[i];
      if (type != WebPubSubConnectionContext.class
          && type != Principal.class
          && type != String.class
          && type != byte[].class) {
        this.bindings.registerReflectionHints(hints, method.getGenericParameterTypes()[i]);
      }
    }
    Type returned = returnedPayload(method);
    if (returned != null) {
      this.bindings.registerReflectionHints(hints, returned);
    }
  }

  private static @Nullable Type returnedPayload(Method method) {
    ResolvableType type = ResolvableType.forMethodParameter(new MethodParameter(method, -1));
    if (Publisher.class.isAssignableFrom(type.toClass())) {
      type = type.getGeneric(0);
    }
    Class<?> raw = type.toClass();
    if (raw == void.class
        || raw == Void.class
        || raw == String.class
        || raw == byte[].class
        || raw == Object.class) {
      return null;
    }
    return type.getType();
  }
}
