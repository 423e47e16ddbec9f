package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for requests and answers: path segments, query parameters, error bodies. */
final class Http {

  private Http() {}

  /**
   * Path split on '/', each segment percent-decoded ('+' kept literally).
   *
   * @throws ServiceError 400 for a malformed escape ({@code %zz}, a lone {@code %})
   */
  static List<String> segments(String uri) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath(uri).split("/")) {
      if (!segment.isEmpty()) {
        try {
          segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ex) {
          throw ServiceError.badRequest(
              "path", "Invalid percent-encoding in the path: " + ex.getMessage());
        }
      }
    }
    return segments;
  }

  /** The path of a request URI as sent (not decoded), without its query. */
  static String rawPath(String uri) {
    int query = uri.indexOf('?');
    return (query < 0) ? uri : uri.substring(0, query);
  }

  /** Whether the bytes are well-formed UTF-8 (what a WebSocket text frame must carry). */
  static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException ex) {
      return false;
    }
  }

  /**
   * Query parameters with case-insensitive names.
   *
   * @throws ServiceError 400 for a malformed escape ({@code %zz}, a lone {@code %})
   */
  static Map<String, List<String>> query(String uri) {
    Map<String, List<String>> params = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, List<String>> decoded;
    try {
      decoded = new QueryStringDecoder(uri).parameters();
    } catch (IllegalArgumentException ex) {
      throw ServiceError.badRequest(
          "query", "Invalid percent-encoding in the query: " + ex.getMessage());
    }
    decoded.forEach((k, v) -> params.merge(k, v, Http::concat));
    return params;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Refuses a request that does not ask for a WebSocket upgrade (Reactor Netty would never answer a
   * plain request it is asked to upgrade).
   *
   * @param who the clients of the endpoint, for the message, e.g. {@code "MQTT clients"}
   * @throws ServiceError a 400 on header {@code Upgrade}
   */
  static void requireWebSocketUpgrade(HttpServerRequest request, String who) {
    if (!request
        .requestHeaders()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      throw ServiceError.badRequest(
          "Upgrade", who + " connect with a WebSocket upgrade (Upgrade: websocket)");
    }
  }

  /** The WebSocket subprotocols a client offers ({@code Sec-WebSocket-Protocol}), in its order. */
  static List<String> offeredSubprotocols(HttpServerRequest request) {
    List<String> offered = new ArrayList<>();
    String header = request.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (header != null) {
      for (String protocol : header.split(",")) {
        if (!protocol.isBlank()) {
          offered.add(protocol.trim());
        }
      }
    }
    return offered;
  }

  static @Nullable String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return (values == null || values.isEmpty()) ? null : values.get(0);
  }

  static @Nullable Integer integer(Map<String, List<String>> query, String name, int min, int max) {
    String value = first(query, name);
    if (value == null) {
      return null;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number < min || number > max) {
        throw ServiceError.badRequest(
            name, "Invalid " + name + " " + number + ": it must be between " + min + " and " + max);
      }
      return number;
    } catch (NumberFormatException ex) {
      throw ServiceError.badRequest(name, "Invalid " + name + " '" + value + "': not an integer");
    }
  }

  static Mono<Void> status(HttpServerResponse response, int status) {
    return response.status(status).header("Content-Length", "0").send();
  }

  static Mono<Void> json(HttpServerResponse response, int status, ObjectNode body) {
    return response
        .status(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .sendString(Mono.just(body.toString()))
        .then();
  }

  static Mono<Void> error(HttpServerRequest request, HttpServerResponse response, ServiceError e) {
    response.status(e.status()).header("x-ms-error-code", e.code());
    if (request.method().equals(HttpMethod.HEAD)) {
      return response.header("Content-Length", "0").send();
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("code", e.code());
    body.put("message", e.getMessage());
    body.put("target", e.target());
    return json(response, e.status(), body);
  }
}
