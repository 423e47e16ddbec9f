package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.core.WebPubSubTemplate;

/**
 * Callback that customizes the auto-configured {@link WebPubSubTemplate} before it is built, after
 * the {@code webpubsub.*} properties were applied. Beans of this type are called in {@link
 * org.springframework.core.Ordered order}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebPubSubTemplateCustomizer {

  /** Customizes the builder of the template. */
  void customize(WebPubSubTemplate.Builder builder);
}
