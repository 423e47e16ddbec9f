package io.github.webpubsub.emulator.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when the development emulator may run: {@code webpubsub.emulator.enabled} is not false,
 * neither {@code webpubsub.connection-string} nor {@code webpubsub.endpoint} is set, and no test
 * asked for its own emulator with {@code @AutoConfigureWebPubSubEmulator}.
 */
final class NoServiceConfiguredCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment environment = context.getEnvironment();
    if (!environment.getProperty(
        WebPubSubEmulatorAutoConfiguration.ENABLED_PROPERTY, Boolean.class, true)) {
      return ConditionOutcome.noMatch(
          WebPubSubEmulatorAutoConfiguration.ENABLED_PROPERTY + " is false");
    }
    if (environment.getProperty(
        WebPubSubEmulatorAutoConfiguration.TEST_PROPERTY, Boolean.class, false)) {
      return ConditionOutcome.noMatch("a test configures its own emulator");
    }
    for (String property : new String[] {"webpubsub.connection-string", "webpubsub.endpoint"}) {
      if (StringUtils.hasText(environment.getProperty(property))) {
        return ConditionOutcome.noMatch(property + " is set");
      }
    }
    return ConditionOutcome.match(
        "neither webpubsub.connection-string nor webpubsub.endpoint is set");
  }
}
