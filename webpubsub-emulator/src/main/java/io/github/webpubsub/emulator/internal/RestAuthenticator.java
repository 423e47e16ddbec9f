package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The access-key check of REST requests: an {@code Authorization: Bearer} HS256 JWT, signed with
 * the access key, not expired, whose {@code aud} is the request URL (with or without its query,
 * case-insensitive, scheme ignored).
 */
final class RestAuthenticator {

  private final Jwt jwt;

  RestAuthenticator(Jwt jwt) {
    this.jwt = jwt;
  }

  /** Returns when the request is authenticated, otherwise throws a 401 {@link ServiceError}. */
  void authenticate(HttpServerRequest request) {
    String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("The request has no 'Authorization: Bearer <token>' header");
    }
    Jwt.Claims claims;
    try {
      claims = this.jwt.verify(authorization.substring(7).trim(), Instant.now());
    } catch (Jwt.InvalidTokenException ex) {
      throw unauthorized(ex.getMessage());
    }
    String host = request.requestHeaders().get(HttpHeaderNames.HOST, "");
    String url = host + request.uri();
    int query = url.indexOf('?');
    List<String> accepted = new ArrayList<>(List.of(url));
    if (query >= 0) {
      accepted.add(url.substring(0, query));
    }
    for (String aud : claims.strings("aud")) {
      String withoutScheme = Tokens.withoutScheme(aud);
      for (String candidate : accepted) {
        if (withoutScheme.equalsIgnoreCase(candidate)
            || decode(withoutScheme).equalsIgnoreCase(decode(candidate))) {
          return;
        }
      }
    }
    throw unauthorized("The token aud " + claims.strings("aud") + " is not the request URL");
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException ex) {
      return value;
    }
  }

  private static ServiceError unauthorized(String message) {
    return new ServiceError(401, "Error.Unauthorized", "Authorization", message);
  }
}
