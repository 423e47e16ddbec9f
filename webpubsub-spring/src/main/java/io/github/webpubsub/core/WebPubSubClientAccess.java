package io.github.webpubsub.core;

/**
 * What a WebSocket client needs to connect: the token and the URLs, the same shape Microsoft's SDKs
 * return.
 *
 * @param token the client access token (a JWT)
 * @param baseUrl the client URL without the token, e.g. {@code wss://host/client/hubs/chat}
 * @param url the URL to connect to, {@code baseUrl} with {@code ?access_token=token}
 * @since 0.1.0
 */
public record WebPubSubClientAccess(String token, String baseUrl, String url) {

  @Override
  public String toString() {
    return "WebPubSubClientAccess[baseUrl=" + this.baseUrl + ", token=<redacted>]";
  }
}
