package io.github.webpubsub.autoconfigure;

/**
 * Neither a connection string nor an endpoint is configured, and no {@link
 * WebPubSubConnectionDetails} bean supplies one.
 *
 * @since 0.1.0
 */
public class MissingWebPubSubConnectionException extends RuntimeException {

  /** Creates the exception. */
  public MissingWebPubSubConnectionException() {
    super(
        "No Azure Web PubSub service is configured: set 'webpubsub.connection-string' or"
            + " 'webpubsub.endpoint'");
  }
}
