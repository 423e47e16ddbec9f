package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.annotation.EnableWebPubSubPublishing;
import io.github.webpubsub.annotation.PublishingFailureMode;
import io.github.webpubsub.annotation.WebPubSubPublishingAdvisor;
import io.github.webpubsub.core.WebPubSubOperations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.Assert;

/**
 * What {@link EnableWebPubSubPublishing} imports: an auto-proxy creator (if none exists yet) and
 * the {@link WebPubSubPublishingAdvisor} with the annotation's attributes.
 */
public final class PublishingConfiguration
    implements ImportBeanDefinitionRegistrar, EnvironmentAware {

  /** Name of the advisor bean. */
  public static final String ADVISOR_BEAN_NAME = "webPubSubPublishingAdvisor";

  private @Nullable Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
    Map<String, @Nullable Object> attributes =
        importingClassMetadata.getAnnotationAttributes(EnableWebPubSubPublishing.class.getName());
    Assert.state(attributes != null, "No @EnableWebPubSubPublishing");
    Environment env = this.environment;
    Assert.state(env != null, "No environment");
    if (AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry) != null
        && Boolean.TRUE.equals(attributes.get("proxyTargetClass"))) {
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
    if (registry.containsBeanDefinition(ADVISOR_BEAN_NAME)) {
      return;
    }
    // Annotation attributes always carry a value (their defaults at least).
    PublishingFailureMode failureMode =
        (PublishingFailureMode) Objects.requireNonNull(attributes.get("failureMode"));
    Duration blockTimeout = parseDuration(env, (String) attributes.get("blockTimeout"));
    int order = (Integer) Objects.requireNonNull(attributes.get("order"));
    RootBeanDefinition advisor = new RootBeanDefinition(WebPubSubPublishingAdvisor.class);
    advisor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
    advisor.setInstanceSupplier(
        () -> {
          BeanFactory beanFactory = (BeanFactory) registry;
          ObjectProvider<WebPubSubOperations> operations =
              beanFactory.getBeanProvider(WebPubSubOperations.class);
          WebPubSubPublishingAdvisor created =
              new WebPubSubPublishingAdvisor(
                  operations::getObject, env, beanFactory, failureMode, blockTimeout);
          created.setOrder(order);
          return created;
        });
    registry.registerBeanDefinition(ADVISOR_BEAN_NAME, advisor);
  }

  private static Duration parseDuration(Environment environment, @Nullable String value) {
    String resolved = environment.resolvePlaceholders((value != null) ? value : "30s").trim();
    try {
      return DurationFormatterUtils.detectAndParse(resolved);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException(
          "@EnableWebPubSubPublishing(blockTimeout = \""
              + resolved
              + "\") is not a duration; use e.g. \"30s\", \"500ms\" or \"PT30S\"",
          ex);
    }
  }
}
