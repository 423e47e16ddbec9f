package io.github.webpubsub.emulator.boot.test;

import io.github.webpubsub.core.WebPubSubOperations;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Turns {@link AutoConfigureWebPubSubEmulator} on a test class into a context customizer that
 * switches the emulator auto-configuration to its test mode and adds a {@link WebPubSubTestClients}
 * bean.
 */
class WebPubSubEmulatorContextCustomizerFactory implements ContextCustomizerFactory {

  static final String TEST_PROPERTY = "webpubsub.emulator.test";

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (TestContextAnnotationUtils.findMergedAnnotation(
            testClass, AutoConfigureWebPubSubEmulator.class)
        == null) {
      return null;
    }
    return new Customizer();
  }

  /** Equal to every other instance: annotated tests may share a cached context. */
  static final class Customizer implements ContextCustomizer {

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "webPubSubEmulatorTest", Map.of(TEST_PROPERTY, (Object) "true")));
      ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
      if (beanFactory instanceof BeanDefinitionRegistry registry) {
        RootBeanDefinition definition =
            new RootBeanDefinition(
                WebPubSubTestClients.class,
                () -> new WebPubSubTestClients(beanFactory.getBean(WebPubSubOperations.class)));
        definition.setDestroyMethodName("close");
        // created when a test asks for it: a context without a template still starts
        definition.setLazyInit(true);
        registry.registerBeanDefinition("webPubSubTestClients", definition);
      }
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
      return Customizer.class.hashCode();
    }
  }
}
