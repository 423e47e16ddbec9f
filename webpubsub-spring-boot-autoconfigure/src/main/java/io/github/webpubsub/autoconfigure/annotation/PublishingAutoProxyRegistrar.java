package io.github.webpubsub.autoconfigure.annotation;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an auto-proxy creator exists even when Boot's {@code AopAutoConfiguration} is off
 * ({@code spring.aop.auto=false}), the way {@code @EnableCaching} does; proxies subclass the bean
 * unless {@code spring.aop.proxy-target-class=false}, as Boot's default.
 */
final class PublishingAutoProxyRegistrar
    implements ImportBeanDefinitionRegistrar, EnvironmentAware {

  private boolean proxyTargetClass = true;

  @Override
  public void setEnvironment(Environment environment) {
    this.proxyTargetClass =
        environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true);
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
    if (AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry) != null
        && this.proxyTargetClass) {
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}
