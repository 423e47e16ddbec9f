package io.github.webpubsub.autoconfigure;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the Web PubSub service is and how to authenticate to it. Backed by {@code webpubsub.*}
 * properties by default; an emulator or a test container can supply its own bean instead.
 *
 * @since 0.1.0
 */
public interface WebPubSubConnectionDetails extends ConnectionDetails {

  /** Service endpoint, e.g. {@code https://contoso.webpubsub.azure.com} (port applied). */
  URI getEndpoint();

  /**
   * Access key that signs requests and client tokens, or {@code null} when a token credential
   * (Microsoft Entra ID) is used instead.
   */
  @Nullable String getAccessKey();

  /**
   * Every access key the service may sign upstream events with: the access key first, then any
   * secondary key kept for key rotation. Empty when no key is configured.
   */
  default List<String> getAccessKeys() {
    String key = getAccessKey();
    return (key != null) ? List.of(key) : List.of();
  }
}
