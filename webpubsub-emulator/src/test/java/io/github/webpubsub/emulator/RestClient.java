package io.github.webpubsub.emulator;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/** Plain HTTP calls to an emulator's REST plane, signed the way the SDKs sign them. */
final class RestClient {

  record Answer(int status, Map<String, String> headers, String body) {

    JsonNode json() {
      return TestClient.JSON.readTree(this.body);
    }
  }

  private final String base;

  private final TestJwt key;

  RestClient(WebPubSubEmulator emulator) {
    this("http://localhost:" + emulator.getPort(), emulator.getAccessKey());
  }

  RestClient(String endpoint, String accessKey) {
    this.base = endpoint;
    this.key = new TestJwt(accessKey);
  }

  String base() {
    return this.base;
  }

  static String token(TestJwt jwt, String aud, long expiresInSeconds) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", aud);
    claims.put("exp", Instant.now().getEpochSecond() + expiresInSeconds);
    return jwt.sign(claims);
  }

  Answer call(
      HttpMethod method,
      String pathAndQuery,
      @Nullable String token,
      @Nullable String contentType,
      byte @Nullable [] body) {
    return HttpClient.create()
        .headers(
            (h) -> {
              if (token != null) {
                h.set("Authorization", "Bearer " + token);
              }
              if (contentType != null) {
                h.set("Content-Type", contentType);
              }
            })
        .request(method)
        .uri(this.base + pathAndQuery)
        .send(
            (request, out) ->
                (body != null) ? out.send(Mono.just(Unpooled.wrappedBuffer(body))) : out)
        .responseSingle(
            (response, content) ->
                content
                    .asString(StandardCharsets.UTF_8)
                    .defaultIfEmpty("")
                    .map(
                        (text) -> {
                          Map<String, String> headers = new LinkedHashMap<>();
                          response
                              .responseHeaders()
                              .forEach(
                                  (e) ->
                                      headers.put(
                                          e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                          return new Answer(response.status().code(), headers, text);
                        }))
        .block();
  }

  /** A correctly signed call: {@code aud} is the full request URL. */
  Answer signed(
      HttpMethod method, String pathAndQuery, @Nullable String type, @Nullable String body) {
    return call(
        method,
        pathAndQuery,
        token(this.key, this.base + pathAndQuery, 3600),
        type,
        (body != null) ? body.getBytes(StandardCharsets.UTF_8) : null);
  }
}
