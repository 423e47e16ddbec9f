package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServerRequest;

/** The bearer-token check of REST requests: signature, expiry and the audience rules. */
class RestAuthenticatorTests {

  static final Jwt JWT = new Jwt(JwtTests.KEY);

  static final RestAuthenticator AUTHENTICATOR = new RestAuthenticator(JWT);

  static final String URI = "/api/hubs/chat/:send?api-version=2024-12-01";

  static HttpServerRequest request(String authorization, String uri) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set("Host", "localhost:8080");
    if (authorization != null) {
      headers.set("Authorization", authorization);
    }
    HttpServerRequest request = mock(HttpServerRequest.class);
    when(request.requestHeaders()).thenReturn(headers);
    when(request.uri()).thenReturn(uri);
    return request;
  }

  static String token(Object audience) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    claims.put("exp", Instant.now().getEpochSecond() + 60);
    return JWT.sign(claims);
  }

  static void accepted(String authorization, String uri) {
    assertThatCode(() -> AUTHENTICATOR.authenticate(request(authorization, uri)))
        .doesNotThrowAnyException();
  }

  static void refused(String authorization, String uri, String message) {
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> AUTHENTICATOR.authenticate(request(authorization, uri)))
        .withMessage(message)
        .satisfies(
            error -> {
              org.assertj.core.api.Assertions.assertThat(error.status()).isEqualTo(401);
              org.assertj.core.api.Assertions.assertThat(error.code())
                  .isEqualTo("Error.Unauthorized");
            });
  }

  @Test
  void theRequestUrlWithOrWithoutQueryAndSchemeIsTheAudience() {
    accepted("Bearer " + token("http://localhost:8080" + URI), URI);
    accepted("Bearer " + token("https://localhost:8080/api/hubs/chat/:send"), URI);
    accepted("bearer " + token("localhost:8080" + URI), URI);
    accepted("Bearer " + token("HTTP://LOCALHOST:8080/API/HUBS/CHAT/:SEND"), URI);
    accepted(
        "Bearer " + token("http://localhost:8080/api/hubs/chat/:send"), "/api/hubs/chat/:send");
  }

  @Test
  void audiencesArePercentDecodedBeforeComparison() {
    accepted(
        "Bearer " + token("http://localhost:8080/api/hubs/chat/groups/a%20b/:send"),
        "/api/hubs/chat/groups/a b/:send");
    accepted(
        "Bearer " + token("http://localhost:8080/api/hubs/chat/groups/a+b/:send"),
        "/api/hubs/chat/groups/a%2Bb/:send");
  }

  @Test
  void anyAudienceOfAListMayMatch() {
    accepted("Bearer " + token(List.of("http://other/x", "http://localhost:8080" + URI)), URI);
  }

  @Test
  void anotherUrlIsRefusedNamingTheAudience() {
    refused(
        "Bearer " + token("http://localhost:8080/api/hubs/other/:send"),
        URI,
        "The token aud [http://localhost:8080/api/hubs/other/:send] is not the request URL");
    // A malformed escape is compared as it is.
    refused(
        "Bearer " + token("http://localhost:8080/api/hubs/%zz"),
        "/api/hubs/chat",
        "The token aud [http://localhost:8080/api/hubs/%zz] is not the request URL");
    // Two different URLs that each have a malformed escape stay different.
    refused(
        "Bearer " + token("http://localhost:8080/api/hubs/a%zz"),
        "/api/hubs/b%zz",
        "The token aud [http://localhost:8080/api/hubs/a%zz] is not the request URL");
  }

  @Test
  void aMissingOrNonBearerHeaderIsRefused() {
    String message = "The request has no 'Authorization: Bearer <token>' header";
    refused(null, URI, message);
    refused("Basic dXNlcjpwYXNz", URI, message);
    refused("Bearer", URI, message);
  }

  @Test
  void anInvalidTokenIsRefusedWithTheReason() {
    refused(
        "Bearer  not-a-token ", URI, "The token is not a compact JWS (three dot-separated parts)");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", "http://localhost:8080" + URI);
    claims.put("exp", 1);
    refused("Bearer " + JWT.sign(claims), URI, "The token expired at 1");
  }
}
