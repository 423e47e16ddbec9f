package io.github.webpubsub.autoconfigure.security;

import io.github.webpubsub.autoconfigure.InvalidWebPubSubPropertyException;
import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.security.DefaultWebPubSubClientAccessMapper;
import io.github.webpubsub.security.WebPubSubClientAccessMapper;
import io.github.webpubsub.security.WebPubSubNegotiator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.Authentication;

/**
 * Auto-configures a {@link WebPubSubNegotiator} that gives the signed-in user a client URL in one
 * call, with a {@link DefaultWebPubSubClientAccessMapper} from {@code webpubsub.negotiate.*} unless
 * the application declares its own {@link WebPubSubClientAccessMapper}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebPubSubAutoConfiguration.class)
@ConditionalOnClass({Authentication.class, WebPubSubNegotiator.class})
@ConditionalOnBean(WebPubSubOperations.class)
@EnableConfigurationProperties(WebPubSubNegotiateProperties.class)
public final class WebPubSubNegotiatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  WebPubSubClientAccessMapper webPubSubClientAccessMapper(WebPubSubNegotiateProperties properties) {
    String rolePrefix = properties.getRoleAuthorityPrefix();
    String groupPrefix = properties.getGroupAuthorityPrefix();
    if (rolePrefix == null || rolePrefix.isBlank()) {
      throw new InvalidWebPubSubPropertyException(
          "webpubsub.negotiate.role-authority-prefix", "must not be blank", "webpubsub.");
    }
    if (groupPrefix == null || groupPrefix.isBlank()) {
      throw new InvalidWebPubSubPropertyException(
          "webpubsub.negotiate.group-authority-prefix", "must not be blank", "WEBPUBSUB_GROUP_");
    }
    return new DefaultWebPubSubClientAccessMapper(rolePrefix, groupPrefix);
  }

  @Bean
  @ConditionalOnMissingBean
  WebPubSubNegotiator webPubSubNegotiator(
      WebPubSubOperations operations, WebPubSubClientAccessMapper mapper) {
    return new WebPubSubNegotiator(operations, mapper);
  }
}
