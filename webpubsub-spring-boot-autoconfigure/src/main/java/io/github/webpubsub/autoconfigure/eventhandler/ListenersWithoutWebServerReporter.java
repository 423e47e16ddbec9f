package io.github.webpubsub.autoconfigure.eventhandler;

import io.github.webpubsub.eventhandler.WebPubSubConnectListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import io.github.webpubsub.eventhandler.WebPubSubInvocationListener;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Warns at start-up when an application declares {@code @WebPubSub*Listener} methods but is not a
 * web application, so no endpoint can receive the service's events and the listeners would never
 * run: it names the methods and the dependency to add.
 */
final class ListenersWithoutWebServerReporter
    implements SmartInitializingSingleton, BeanFactoryAware {

  private static final Log logger = LogFactory.getLog(ListenersWithoutWebServerReporter.class);

  private static final List<Class<? extends Annotation>> LISTENERS =
      List.of(
          WebPubSubEventListener.class,
          WebPubSubInvocationListener.class,
          WebPubSubConnectListener.class,
          WebPubSubConnectedListener.class,
          WebPubSubDisconnectedListener.class);

  private @Nullable ConfigurableListableBeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ConfigurableListableBeanFactory factory = this.beanFactory;
    if (factory == null) {
      return;
    }
    List<String> found = new ArrayList<>();
    for (String name : factory.getBeanNamesForType(Object.class, false, false)) {
      Class<?> type = AutoProxyUtils.determineTargetClass(factory, name);
      if (type == null || !isCandidate(type)) {
        continue;
      }
      Map<Method, Boolean> methods =
          MethodIntrospector.selectMethods(
              type,
              (MethodIntrospector.MetadataLookup<Boolean>)
                  (method) -> isListener(method) ? Boolean.TRUE : null);
      methods
          .keySet()
          .forEach((method) -> found.add(type.getSimpleName() + "." + method.getName()));
    }
    if (!found.isEmpty()) {
      logger.warn(
          "Web PubSub listener methods "
              + found
              + " will never run: this is not a web application, so no endpoint receives the"
              + " service's events. Add spring-boot-starter-webflux (or spring-boot-starter-web)"
              + " to serve webpubsub.event-handler.path.");
    }
  }

  private static boolean isCandidate(Class<?> type) {
    return LISTENERS.stream()
        .anyMatch((annotation) -> AnnotationUtils.isCandidateClass(type, annotation));
  }

  private static boolean isListener(Method method) {
    return LISTENERS.stream()
        .anyMatch((annotation) -> AnnotatedElementUtils.hasAnnotation(method, annotation));
  }
}
