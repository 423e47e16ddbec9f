package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Checks a client's upgrade request (any client path: Web PubSub subprotocols and MQTT): the token
 * from {@code access_token} or {@code Authorization: Bearer} must verify and its {@code aud} must
 * be the URL the client asked for, without the query. A refusal is a 401 {@link ServiceError}.
 */
final class ClientTokenAuthenticator {

  private ClientTokenAuthenticator() {}

  /**
   * The verified claims of the client's token.
   *
   * @param request the upgrade request
   * @param query its decoded query
   * @param jwt the verifier of the emulator's key
   * @return the claims of a token whose audience is this client URL
   */
  static Jwt.Claims authenticate(
      HttpServerRequest request, Map<String, List<String>> query, Jwt jwt) {
    String token = Http.first(query, "access_token");
    String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    if (token == null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).trim();
    }
    if (token == null) {
      throw unauthorized("The client request has no access_token and no Bearer token");
    }
    Jwt.Claims claims;
    try {
      claims = jwt.verify(token, Instant.now());
    } catch (Jwt.InvalidTokenException ex) {
      throw unauthorized(ex.getMessage());
    }
    String uri = request.uri();
    int queryStart = uri.indexOf('?');
    String expected =
        request.requestHeaders().get(HttpHeaderNames.HOST, "")
            + ((queryStart < 0) ? uri : uri.substring(0, queryStart));
    boolean audOk = false;
    for (String aud : claims.strings("aud")) {
      audOk |= trimSlash(Tokens.withoutScheme(aud)).equalsIgnoreCase(trimSlash(expected));
    }
    if (!audOk) {
      throw unauthorized("The token aud " + claims.strings("aud") + " is not this client URL");
    }
    return claims;
  }

  private static String trimSlash(String value) {
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  private static ServiceError unauthorized(@Nullable String message) {
    return new ServiceError(
        401, "Error.Unauthorized", "access_token", (message != null) ? message : "Invalid token");
  }
}
