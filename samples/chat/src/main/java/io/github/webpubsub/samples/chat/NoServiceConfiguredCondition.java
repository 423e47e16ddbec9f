package io.github.webpubsub.samples.chat;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * Matches when neither {@code webpubsub.connection-string} nor {@code webpubsub.endpoint} is set.
 */
class NoServiceConfiguredCondition extends NoneNestedConditions {

  NoServiceConfiguredCondition() {
    super(ConfigurationPhase.REGISTER_BEAN);
  }

  @ConditionalOnProperty("webpubsub.connection-string")
  static class ConnectionStringSet {}

  @ConditionalOnProperty("webpubsub.endpoint")
  static class EndpointSet {}
}
