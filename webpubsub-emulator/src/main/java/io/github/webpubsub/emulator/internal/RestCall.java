package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.context.Context;

/**
 * One authenticated REST call being answered: its hub, path names, query, body, and the parts of
 * the service's rules that several operations share (recipient filters, TTL, close reasons).
 */
final class RestCall {

  static final int MAX_BODY = 1024 * 1024;

  /** Reactor's key for a subscriber's own onErrorDropped hook ({@code Hooks} keeps it private). */
  private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

  private final EmulatorServer server;

  private final HttpServerRequest request;

  private final HttpServerResponse response;

  private final Hub hub;

  private final List<String> path;

  private final Map<String, List<String>> query;

  private final Map<String, String> variables;

  RestCall(
      EmulatorServer server,
      HttpServerRequest request,
      HttpServerResponse response,
      Hub hub,
      List<String> path) {
    this(server, request, response, hub, path, Http.query(request.uri()), Map.of());
  }

  private RestCall(
      EmulatorServer server,
      HttpServerRequest request,
      HttpServerResponse response,
      Hub hub,
      List<String> path,
      Map<String, List<String>> query,
      Map<String, String> variables) {
    this.server = server;
    this.request = request;
    this.response = response;
    this.hub = hub;
    this.path = path;
    this.query = query;
    this.variables = variables;
  }

  /** This call with the names its route pattern captured. */
  RestCall withVariables(Map<String, String> variables) {
    return new RestCall(
        this.server, this.request, this.response, this.hub, this.path, this.query, variables);
  }

  EmulatorServer server() {
    return this.server;
  }

  HttpServerResponse response() {
    return this.response;
  }

  Hub hub() {
    return this.hub;
  }

  /** The decoded path segments, {@code api} first. */
  List<String> path() {
    return this.path;
  }

  HttpMethod method() {
    return this.request.method();
  }

  Map<String, List<String>> query() {
    return this.query;
  }

  /** A name captured by the route pattern, such as {@code group} for {@code {group}}. */
  String variable(String name) {
    String value = this.variables.get(name);
    if (value == null) {
      throw new IllegalStateException("The route has no {" + name + "}");
    }
    return value;
  }

  String host() {
    return this.request.requestHeaders().get(HttpHeaderNames.HOST, "localhost");
  }

  /** Checks {@code messageTtlSeconds} (0-300); it is not enforced. */
  void ttl() {
    Http.integer(this.query, "messageTtlSeconds", 0, 300);
  }

  /** The recipients' filter: {@code excluded} ids (when allowed) and the OData filter. */
  Predicate<ClientConnection> selection(boolean allowExcluded) {
    Set<String> excluded =
        allowExcluded ? Set.copyOf(this.query.getOrDefault("excluded", List.of())) : Set.of();
    String text = Http.first(this.query, "filter");
    Filter filter = (text != null && !text.isBlank()) ? Filter.parse(text) : null;
    return (connection) ->
        !excluded.contains(connection.connectionId())
            && (filter == null || filter.matches(connection));
  }

  String reason() {
    String reason = Http.first(this.query, "reason");
    return (reason != null) ? reason : "Connection closed by the server";
  }

  /** Closes the targets but the {@code excluded} ids with 1000 and the {@code reason}; 204. */
  Mono<Void> closeConnections(Collection<ClientConnection> targets) {
    Set<String> excluded = Set.copyOf(this.query.getOrDefault("excluded", List.of()));
    String reason = reason();
    for (ClientConnection connection : List.copyOf(targets)) {
      if (!excluded.contains(connection.connectionId())) {
        this.server.closeConnection(connection, 1000, reason);
      }
    }
    return Http.status(this.response, 204);
  }

  Mono<Void> status(int status) {
    return Http.status(this.response, status);
  }

  ServiceError notFound() {
    return ServiceError.notFound(
        "path", "No such operation: " + method() + " " + Http.rawPath(this.request.uri()));
  }

  /** Reads the body (at most 1 MiB) and checks its content type. */
  Mono<Body> body() {
    String contentType = this.request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    DataType type = DataType.ofContentType(contentType);
    if (type == null || type == DataType.PROTOBUF) {
      return Mono.error(
          new ServiceError(
              415,
              "Error.UnsupportedMediaType",
              "Content-Type",
              "Unsupported Content-Type '"
                  + contentType
                  + "': use text/plain, application/json or application/octet-stream"));
    }
    String length = this.request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length.trim()) > MAX_BODY) {
      return Mono.error(tooLarge());
    }
    return this.request
        .receive()
        // A body that stops arriving fails this with Reactor Netty's read timeout, and the same
        // error arrives once more after the answer: drop that one quietly (Reactor would log it
        // at ERROR through its global onErrorDropped hook).
        .asByteArray()
        .contextWrite(Context.of(ON_ERROR_DROPPED, (Consumer<Throwable>) (dropped) -> {}))
        .collect(
            ByteArrayOutputStream::new,
            (out, chunk) -> {
              if (out.size() + chunk.length > MAX_BODY) {
                throw tooLarge();
              }
              out.writeBytes(chunk);
            })
        .map(
            (out) -> {
              byte[] bytes = out.toByteArray();
              if (type == DataType.TEXT && !Http.isUtf8(bytes)) {
                // A text frame must be UTF-8 (RFC 6455 section 8.1): refuse rather than forward it.
                throw new ServiceError(
                    400,
                    "Error.InvalidUtf8",
                    "body",
                    "The text/plain body is not valid UTF-8; send bytes as"
                        + " application/octet-stream");
              }
              if (type == DataType.JSON) {
                try {
                  Json.MAPPER.readTree(bytes);
                } catch (RuntimeException ex) {
                  throw ServiceError.badRequest("body", "The body is not valid JSON");
                }
              }
              return new Body(type, bytes);
            })
        .onErrorMap(
            ReadTimeoutException.class,
            (timeout) -> {
              // The rest of the body may still come: the connection cannot serve another request.
              this.response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
              return new ServiceError(
                  408,
                  "Error.RequestTimeout",
                  "body",
                  "The request body stopped arriving (no bytes within the request timeout)");
            });
  }

  private static ServiceError tooLarge() {
    return new ServiceError(
        413, "Error.PayloadTooLarge", "body", "The message is larger than 1 MiB (1048576 bytes)");
  }

  @Override
  public String toString() {
    return method() + " " + this.request.uri();
  }

  /** A request body with its data type. */
  record Body(DataType type, byte[] bytes) {}
}
