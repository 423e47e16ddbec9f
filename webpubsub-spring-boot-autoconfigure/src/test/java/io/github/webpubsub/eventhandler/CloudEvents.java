package io.github.webpubsub.eventhandler;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;

/** The requests Web PubSub sends upstream, header for header as in the reference (section 7). */
final class CloudEvents {

  /** Access key of the reference's signature test vector (section 7.3). */
  static final String PRIMARY_KEY = "7aab239577fd4f24bc919802fb629f5f";

  static final String SECONDARY_KEY = "secondary-key-for-rotation-0123456789";

  /** Connection id of the reference's signature test vector. */
  static final String CONNECTION_ID = "0f9c97a2f0bf4706afe87a14e0797b11";

  /** The reference's test vector: sha256=HMAC-SHA256(PRIMARY_KEY, CONNECTION_ID). */
  static final String PRIMARY_SIGNATURE =
      "sha256=7767effcb3946f3e1de039df4b986ef02c110b1469d02c0a06f41b3b727ab561";

  static final String ORIGIN = "contoso.webpubsub.azure.com";

  private CloudEvents() {}

  static WebPubSubConnectionDetails connectionDetails() {
    return new WebPubSubConnectionDetails() {
      @Override
      public URI getEndpoint() {
        return URI.create("https://" + ORIGIN);
      }

      @Override
      public String getAccessKey() {
        return PRIMARY_KEY;
      }

      @Override
      public List<String> getAccessKeys() {
        return List.of(PRIMARY_KEY, SECONDARY_KEY);
      }
    };
  }

  /** Headers of a system event, e.g. {@code connect}. */
  static Consumer<HttpHeaders> system(String event, String hub) {
    return headers("azure.webpubsub.sys." + event, event, hub, PRIMARY_SIGNATURE);
  }

  /** Headers of a user event, e.g. {@code message}. */
  static Consumer<HttpHeaders> user(String event, String hub) {
    return headers("azure.webpubsub.user." + event, event, hub, PRIMARY_SIGNATURE);
  }

  static Consumer<HttpHeaders> headers(
      String ceType, String eventName, String hub, String signature) {
    return headers -> {
      headers.set("WebHook-Request-Origin", ORIGIN);
      headers.set("ce-specversion", "1.0");
      headers.set("ce-awpsversion", "1.0");
      headers.set("ce-type", ceType);
      headers.set("ce-source", "/hubs/" + hub + "/client/" + CONNECTION_ID);
      headers.set("ce-id", "1");
      headers.set("ce-time", "2024-01-01T00:00:00Z");
      headers.set("ce-hub", hub);
      headers.set("ce-connectionId", CONNECTION_ID);
      headers.set("ce-eventName", eventName);
      headers.set("ce-userId", "u1");
      headers.set("ce-subprotocol", "json.webpubsub.azure.v1");
      if (signature != null) {
        headers.set("ce-signature", signature);
      }
    };
  }

  /** The connect body of reference section 7.4. */
  static String connectBody(String sub) {
    return "{\"claims\":{\"sub\":[\""
        + sub
        + "\"],\"role\":[\"webpubsub.sendToGroup\"]},\"query\":{\"foo\":[\"bar\"]},"
        + "\"headers\":{\"Host\":[\"contoso.webpubsub.azure.com\"]},"
        + "\"subprotocols\":[\"json.webpubsub.azure.v1\"],"
        + "\"clientCertificates\":[{\"thumbprint\":\"ABC\",\"content\":\"-----BEGIN CERTIFICATE-----\"}]}";
  }

  /** Computes a signature independently of the production code. */
  static String sign(String key, String connectionId) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + java.util.HexFormat.of()
              .formatHex(
                  mac.doFinal(connectionId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  static String state(String json) {
    return Base64.getEncoder()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
  }
}
