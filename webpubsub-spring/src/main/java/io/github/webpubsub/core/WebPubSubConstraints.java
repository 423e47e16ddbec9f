package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import io.github.webpubsub.core.internal.TemplateSettings;
import java.net.URI;

/**
 * The rules the template applies to hub names, endpoints and access keys, for configuration code
 * that checks values before building a template (Spring Boot's auto-configuration does, to name the
 * property at fault). Each check throws the same {@link IllegalArgumentException} the template
 * would, whose message starts with the checked name.
 *
 * @since 0.1.0
 */
public final class WebPubSubConstraints {

  /** Fewest bytes (UTF-8) of an access key: the size of an HS256 key. */
  public static final int MIN_ACCESS_KEY_BYTES = Arguments.MIN_ACCESS_KEY_BYTES;

  private WebPubSubConstraints() {}

  /**
   * Checks a hub name: a letter, then up to 127 letters, digits or {@code _`,.[]}.
   *
   * @param hub the hub name
   * @return the hub name
   * @throws IllegalArgumentException when it breaks the rule; the message starts with {@code hub}
   */
  public static String checkHub(String hub) {
    return Arguments.hub(hub);
  }

  /**
   * Checks a service endpoint: an absolute {@code http(s)} URL with a host and no path, user info,
   * query or fragment.
   *
   * @param name the name the message starts with, e.g. {@code endpoint}
   * @param endpoint the endpoint
   * @return the endpoint without trailing slash
   * @throws IllegalArgumentException when it breaks the rule (the message shows the value)
   */
  public static URI checkEndpoint(String name, URI endpoint) {
    return URI.create(TemplateSettings.endpoint(name, endpoint, false));
  }

  /**
   * Checks that an access key is long enough to sign HS256 tokens.
   *
   * @param name the name the message starts with, e.g. {@code accessKey}
   * @param accessKey the key (never part of the message)
   * @return the key
   * @throws IllegalArgumentException when it has fewer than {@value #MIN_ACCESS_KEY_BYTES} bytes
   */
  public static String checkAccessKey(String name, String accessKey) {
    return Arguments.accessKey(name, accessKey);
  }
}
