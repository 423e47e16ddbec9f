package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubConnectListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.WebPubSubInvocationListener;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Finds {@code @WebPubSub*Listener} methods on every bean once all singletons exist (before the web
 * server starts) and registers them.
 */
public final class ListenerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

  private static final List<Class<? extends Annotation>> ANNOTATIONS =
      List.of(
          WebPubSubEventListener.class,
          WebPubSubInvocationListener.class,
          WebPubSubConnectListener.class,
          WebPubSubConnectedListener.class,
          WebPubSubDisconnectedListener.class);

  private final ListenerRegistry registry;

  private @Nullable ConfigurableListableBeanFactory beanFactory;

  /**
   * Creates the processor.
   *
   * @param registry where found listeners go
   */
  public ListenerMethodProcessor(ListenerRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ConfigurableListableBeanFactory factory = this.beanFactory;
    Assert.state(factory != null, "No bean factory");
    for (String beanName : factory.getBeanNamesForType(Object.class, false, false)) {
      if (ScopedProxyUtils.isScopedTarget(beanName)) {
        continue;
      }
      Class<?> type = AutoProxyUtils.determineTargetClass(factory, beanName);
      if (type == null || !isCandidate(type)) {
        continue;
      }
      Map<Method, WebPubSubEventType> methods =
          MethodIntrospector.selectMethods(
              type,
              (MethodIntrospector.MetadataLookup<WebPubSubEventType>)
                  ListenerMethodProcessor::kind);
      methods.forEach(
          (method, kind) -> {
            Class<?> beanType = factory.getType(beanName);
            Method invocable =
                AopUtils.selectInvocableMethod(method, (beanType != null) ? beanType : type);
            this.registry.register(
                new ListenerMethod(
                    kind,
                    eventName(factory, method, kind),
                    hub(factory, method),
                    () -> factory.getBean(beanName),
                    invocable,
                    isInvocation(method)));
          });
    }
  }

  private static boolean isCandidate(Class<?> type) {
    for (Class<? extends Annotation> annotation : ANNOTATIONS) {
      if (AnnotationUtils.isCandidateClass(type, annotation)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable WebPubSubEventType kind(Method method) {
    WebPubSubEventType kind = null;
    int found = 0;
    if (AnnotatedElementUtils.hasAnnotation(method, WebPubSubEventListener.class)) {
      kind = WebPubSubEventType.USER;
      found++;
    }
    if (isInvocation(method)) {
      kind = WebPubSubEventType.USER;
      found++;
    }
    if (AnnotatedElementUtils.hasAnnotation(method, WebPubSubConnectListener.class)) {
      kind = WebPubSubEventType.CONNECT;
      found++;
    }
    if (AnnotatedElementUtils.hasAnnotation(method, WebPubSubConnectedListener.class)) {
      kind = WebPubSubEventType.CONNECTED;
      found++;
    }
    if (AnnotatedElementUtils.hasAnnotation(method, WebPubSubDisconnectedListener.class)) {
      kind = WebPubSubEventType.DISCONNECTED;
      found++;
    }
    if (found > 1) {
      throw new IllegalStateException(
          "Web PubSub listener "
              + method.getDeclaringClass().getSimpleName()
              + "."
              + method.getName()
              + " has more than one @WebPubSub*Listener annotation; use one per method");
    }
    return kind;
  }

  private static boolean isInvocation(Method method) {
    return AnnotatedElementUtils.hasAnnotation(method, WebPubSubInvocationListener.class);
  }

  private static String eventName(
      ConfigurableListableBeanFactory factory, Method method, WebPubSubEventType kind) {
    if (kind != WebPubSubEventType.USER) {
      return "";
    }
    boolean invocation = isInvocation(method);
    String annotationName = invocation ? "@WebPubSubInvocationListener" : "@WebPubSubEventListener";
    String declared;
    if (invocation) {
      WebPubSubInvocationListener annotation =
          AnnotatedElementUtils.findMergedAnnotation(method, WebPubSubInvocationListener.class);
      Assert.state(annotation != null, "No @WebPubSubInvocationListener");
      declared = annotation.event();
    } else {
      WebPubSubEventListener annotation =
          AnnotatedElementUtils.findMergedAnnotation(method, WebPubSubEventListener.class);
      Assert.state(annotation != null, "No @WebPubSubEventListener");
      declared = annotation.event();
    }
    String event = resolve(factory, declared);
    if (!StringUtils.hasText(event)) {
      throw new IllegalStateException(
          annotationName
              + " on "
              + method.getDeclaringClass().getSimpleName()
              + "."
              + method.getName()
              + " needs an event name, e.g. "
              + annotationName
              + "(event = \"message\")");
    }
    if (event.startsWith("azure.webpubsub.") || RESERVED.contains(event)) {
      throw new IllegalStateException(
          annotationName
              + " on "
              + method.getDeclaringClass().getSimpleName()
              + "."
              + method.getName()
              + " names event '"
              + event
              + "'; use @WebPubSubConnectListener, @WebPubSubConnectedListener or"
              + " @WebPubSubDisconnectedListener for system events");
    }
    return event;
  }

  private static final Set<String> RESERVED = Set.of("connect", "connected", "disconnected");

  private static String hub(ConfigurableListableBeanFactory factory, Method method) {
    for (Class<? extends Annotation> type : ANNOTATIONS) {
      Map<String, Object> attributes =
          AnnotatedElementUtils.getMergedAnnotationAttributes(method, type);
      if (attributes != null) {
        Object hub = attributes.get("hub");
        return resolve(factory, (hub instanceof String text) ? text : "").trim();
      }
    }
    return "";
  }

  private static String resolve(ConfigurableListableBeanFactory factory, String value) {
    String resolved = factory.resolveEmbeddedValue(value);
    return (resolved != null) ? resolved : value;
  }
}
