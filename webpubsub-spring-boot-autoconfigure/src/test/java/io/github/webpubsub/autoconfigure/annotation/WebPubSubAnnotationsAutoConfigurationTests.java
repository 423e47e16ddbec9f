package io.github.webpubsub.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.annotation.PublishingFailureMode;
import io.github.webpubsub.annotation.RecordingWebPubSubOperations;
import io.github.webpubsub.annotation.SendToGroup;
import io.github.webpubsub.annotation.WebPubSubPublishingAdvisor;
import io.github.webpubsub.autoconfigure.InvalidWebPubSubPropertyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class WebPubSubAnnotationsAutoConfigurationTests {

  private final AtomicReference<Supplier<List<?>>> sendsSoFar = new AtomicReference<>(List::of);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class, WebPubSubAnnotationsAutoConfiguration.class))
          .withBean(GreetingService.class);

  @Test
  void isRegisteredAsAnAutoConfiguration() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(WebPubSubAnnotationsAutoConfiguration.class.getName());
  }

  @Test
  void backsOffWithoutWebPubSubOperations() {
    this.runner.run(
        (context) -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(WebPubSubPublishingAdvisor.class);
          assertThat(AopUtils.isAopProxy(context.getBean(GreetingService.class))).isFalse();
        });
  }

  @Test
  void publishesThroughTheUsersWebPubSubOperationsBean() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubPublishingAdvisor.class);
              GreetingService service = context.getBean(GreetingService.class);
              assertThat(AopUtils.isCglibProxy(service)).isTrue();
              service.greet("ann");
              assertThat(context.getBean(RecordingWebPubSubOperations.class).sends())
                  .extracting(RecordingWebPubSubOperations.Send::message)
                  .containsExactly("hello ann");
            });
  }

  @Test
  void advisorIsAnInfrastructureBean() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .run(
            (context) ->
                assertThat(
                        context
                            .getBeanFactory()
                            .getBeanDefinition("webPubSubPublishingAdvisor")
                            .getRole())
                    .isEqualTo(BeanDefinition.ROLE_INFRASTRUCTURE));
  }

  @Test
  void isSwitchedOffByProperty() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withPropertyValues("webpubsub.annotations.enabled=false")
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(WebPubSubPublishingAdvisor.class);
              GreetingService service = context.getBean(GreetingService.class);
              assertThat(AopUtils.isAopProxy(service)).isFalse();
              service.greet("ann");
              assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
            });
  }

  @Test
  void createsProxiesWithoutBootsAopAutoConfiguration() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WebPubSubAnnotationsAutoConfiguration.class))
        .withUserConfiguration(OperationsConfiguration.class)
        .withBean(GreetingService.class)
        .run(
            (context) -> {
              GreetingService service = context.getBean(GreetingService.class);
              assertThat(AopUtils.isCglibProxy(service)).isTrue();
              service.greet("ann");
              assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).hasSize(1);
            });
  }

  @Test
  void createsProxiesWhenSpringAopAutoIsOff() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withPropertyValues("spring.aop.auto=false")
        .run(
            (context) -> {
              context.getBean(GreetingService.class).greet("ann");
              assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).hasSize(1);
            });
  }

  @Test
  void usesInterfaceProxiesWhenProxyTargetClassIsOff() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WebPubSubAnnotationsAutoConfiguration.class))
        .withUserConfiguration(OperationsConfiguration.class)
        .withPropertyValues("spring.aop.proxy-target-class=false")
        .withBean(Greeter.class, InterfaceGreeter::new)
        .run(
            (context) -> {
              Greeter greeter = context.getBean(Greeter.class);
              assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
              greeter.greet("ann");
              assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).hasSize(1);
            });
  }

  @Test
  void publishesOutsideAdvisorsAtTheDefaultOrderSuchAsTransactions() {
    AtomicInteger sendsWhenInnerAdviceReturned = new AtomicInteger(-1);
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withBean(
            "innerAdvisor",
            Advisor.class,
            () ->
                new DefaultPointcutAdvisor(
                    new AnnotationMatchingPointcut(null, SendToGroup.class, true),
                    (MethodInterceptor)
                        (invocation) -> {
                          Object result = invocation.proceed();
                          sendsWhenInnerAdviceReturned.set(this.sendsSoFar.get().get().size());
                          return result;
                        }))
        .run(
            (context) -> {
              RecordingWebPubSubOperations recorder =
                  context.getBean(RecordingWebPubSubOperations.class);
              this.sendsSoFar.set(recorder::sends);
              context.getBean(GreetingService.class).greet("ann");
              assertThat(sendsWhenInnerAdviceReturned).hasValue(0);
              assertThat(recorder.sends()).hasSize(1);
            });
  }

  @Test
  void bindsItsProperties() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withPropertyValues(
            "webpubsub.annotations.failure-mode=log", "webpubsub.annotations.block-timeout=5s")
        .run(
            (context) -> {
              WebPubSubAnnotationsProperties properties =
                  context.getBean(WebPubSubAnnotationsProperties.class);
              assertThat(properties.isEnabled()).isTrue();
              assertThat(properties.getFailureMode()).isEqualTo(PublishingFailureMode.LOG);
              assertThat(properties.getBlockTimeout()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void defaultsPropagateFailuresAndWaitThirtySeconds() {
    WebPubSubAnnotationsProperties properties = new WebPubSubAnnotationsProperties();
    assertThat(properties.isEnabled()).isTrue();
    assertThat(properties.getFailureMode()).isEqualTo(PublishingFailureMode.PROPAGATE);
    assertThat(properties.getBlockTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void nonPositiveBlockTimeoutFailsStartup() {
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withPropertyValues("webpubsub.annotations.block-timeout=0s")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidWebPubSubPropertyException.class)
                    .hasMessage(
                        "Property 'webpubsub.annotations.block-timeout' must be positive but was"
                            + " PT0S"));
  }

  @Test
  void doesNotCreateOrdinaryBeansWhilePostProcessorsAreRegistered(CapturedOutput output) {
    // A user post-processor is created after the auto-proxy creator, which then fetches the
    // advisor: an advisor that resolved WebPubSubOperations eagerly would create it too early.
    this.runner
        .withUserConfiguration(OperationsConfiguration.class)
        .withBean(UserPostProcessor.class)
        .run(
            (context) -> {
              assertThat(context).hasNotFailed();
              assertThat(output).doesNotContain("not eligible for getting processed");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OperationsConfiguration {

    @Bean
    RecordingWebPubSubOperations recordingWebPubSubOperations() {
      return new RecordingWebPubSubOperations();
    }
  }

  static class UserPostProcessor implements BeanPostProcessor {}

  static class GreetingService {

    @SendToGroup("greetings")
    public String greet(String name) {
      return "hello " + name;
    }
  }

  interface Greeter {

    @SendToGroup("greetings")
    String greet(String name);
  }

  static class InterfaceGreeter implements Greeter {

    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }
}
