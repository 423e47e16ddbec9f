package io.github.webpubsub.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client invocations of the JSON subprotocols: {@code invoke} (target {@code event}) becomes a
 * blocking user event upstream, exactly as an {@code event} of that name, and the handler's answer
 * becomes the caller's {@code invokeResponse}; {@code cancelInvocation} gives up the upstream call.
 * Every invocation ends with exactly one {@code invokeResponse}: the handler's data on success, an
 * error on a non-2xx answer, no handler, a timeout or a cancel. Invocations run beside the
 * connection's other messages, which do not wait for them.
 */
final class InvocationHandlers {

  /** Pending invocations one connection may have; more are answered {@code BadRequest}. */
  static final int MAX_PENDING = 128;

  /** The longest {@code invocationId} accepted. */
  static final int MAX_ID_LENGTH = 256;

  /** The most characters of a handler's {@code text/plain} error body passed on as the message. */
  static final int MAX_ERROR_MESSAGE = 1024;

  private final Upstream upstream;

  private final Map<ClientConnection, Map<String, Disposable>> pending = new ConcurrentHashMap<>();

  InvocationHandlers(Upstream upstream) {
    this.upstream = upstream;
  }

  ClientMessageHandler invoke() {
    return new ClientMessageHandler() {
      @Override
      public Mono<Void> handle(ClientMessage message) {
        return invoke(message);
      }

      @Override
      public boolean takesAckId() {
        return false;
      }
    };
  }

  ClientMessageHandler cancel() {
    return new ClientMessageHandler() {
      @Override
      public Mono<Void> handle(ClientMessage message) {
        return cancel(message);
      }

      @Override
      public boolean takesAckId() {
        return false;
      }
    };
  }

  private @Nullable String invocationId(ClientMessage message) {
    JsonNode id = message.json().get("invocationId");
    if (id == null
        || !id.isString()
        || id.asString().isEmpty()
        || id.asString().length() > MAX_ID_LENGTH) {
      message
          .connection()
          .abort(
              1003,
              "Invalid message: "
                  + message.json().path("type").asString("")
                  + " needs an invocationId of 1-"
                  + MAX_ID_LENGTH
                  + " characters");
      return null;
    }
    return id.asString();
  }

  private Mono<Void> invoke(ClientMessage message) {
    ClientConnection connection = message.connection();
    String id = invocationId(message);
    if (id == null) {
      return Mono.empty();
    }
    String target = message.json().path("target").asString("event");
    String event = message.json().path("event").asString("");
    DataType type;
    byte[] data;
    try {
      if (!target.equals("event")) {
        throw new AckError(
            "BadRequest", "Invalid target '" + target + "': only event is supported");
      }
      if (!Names.isValidEvent(event)) {
        throw new AckError("BadRequest", "Invalid event name '" + event + "'");
      }
      if (message.json().has("data")) {
        type = message.dataType();
        data = message.data(type);
      } else {
        type = DataType.BINARY;
        data = new byte[0];
      }
    } catch (AckError error) {
      respond(connection, id, error);
      return Mono.empty();
    }
    Map<String, Disposable> calls = this.pending.get(connection);
    if (calls == null) {
      Map<String, Disposable> created = new ConcurrentHashMap<>();
      calls = this.pending.putIfAbsent(connection, created);
      if (calls == null) {
        calls = created;
        // Outside the map's update: an ended connection completes this at once.
        connection.whenTerminated().subscribe(null, null, () -> cancelAll(connection));
      }
    }
    if (calls.size() >= MAX_PENDING) {
      respond(
          connection,
          id,
          new AckError(
              "BadRequest",
              "Too many pending invocations: at most " + MAX_PENDING + " per connection"));
      return Mono.empty();
    }
    if (calls.containsKey(id)) {
      respond(
          connection, id, new AckError("BadRequest", "Invocation " + id + " is already pending"));
      return Mono.empty();
    }
    Map<String, Disposable> registry = calls;
    // Registered before the call starts, so that a cancel racing it finds the entry.
    Disposable.Swap call = reactor.core.Disposables.swap();
    calls.put(id, call);
    call.update(
        this.upstream
            .userEvent(connection, event.toLowerCase(Locale.ROOT), type, data)
            .timeout(this.upstream.invocationTimeout())
            .map((answer) -> response(connection, id, answer))
            .defaultIfEmpty(
                error(
                    id,
                    "NotFound",
                    "No event handler is configured for hub " + connection.hub().name()))
            .onErrorResume(
                (failure) ->
                    Mono.just(
                        (failure instanceof TimeoutException)
                            ? error(
                                id,
                                "Timeout",
                                "The event handler did not answer within "
                                    + this.upstream.invocationTimeout().toMillis()
                                    + " ms")
                            : error(
                                id,
                                "InternalServerError",
                                "The event handler call failed: "
                                    + java.util.Objects.toString(
                                        failure.getMessage(), failure.getClass().getSimpleName()))))
            .subscribe(
                (response) -> {
                  if (registry.remove(id, call)) {
                    connection.deliverProtocol(response);
                  }
                }));
    return Mono.empty();
  }

  /**
   * Gives up a pending invocation: the upstream call is cancelled and the caller gets an {@code
   * invokeResponse} with error {@code Cancelled} (the SDK has already given up and ignores it). An
   * unknown id is ignored.
   */
  private Mono<Void> cancel(ClientMessage message) {
    ClientConnection connection = message.connection();
    String id = invocationId(message);
    Map<String, Disposable> calls = this.pending.get(connection);
    Disposable call = (id != null && calls != null) ? calls.remove(id) : null;
    if (id != null && call != null) {
      call.dispose();
      connection.deliverProtocol(
          error(id, "Cancelled", "The invocation was cancelled by the client"));
    }
    return Mono.empty();
  }

  private void cancelAll(ClientConnection connection) {
    Map<String, Disposable> calls = this.pending.remove(connection);
    if (calls != null) {
      calls.values().forEach(Disposable::dispose);
    }
  }

  /** Pending invocations of a connection (for tests). */
  int pendingCount(ClientConnection connection) {
    Map<String, Disposable> calls = this.pending.get(connection);
    return (calls != null) ? calls.size() : 0;
  }

  private static ObjectNode response(
      ClientConnection connection, String id, Upstream.Answer answer) {
    connection.connectionState(answer.connectionState());
    if (!answer.isSuccess()) {
      return error(id, errorName(answer.status()), errorMessage(answer));
    }
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("type", "invokeResponse");
    response.put("invocationId", id);
    response.put("success", true);
    byte[] body = answer.body();
    if (answer.status() != 204 && body.length > 0) {
      DataType type = ClientFrames.replyType(DataType.ofContentType(answer.contentType()), body);
      JsonNode json = null;
      if (type == DataType.JSON) {
        try {
          json = Json.MAPPER.readTree(body);
        } catch (RuntimeException ex) {
          type = DataType.BINARY;
        }
      }
      response.put("dataType", type.protocolName());
      switch (type) {
        case TEXT -> response.put("data", new String(body, StandardCharsets.UTF_8));
        case JSON -> response.set("data", json);
        case BINARY, PROTOBUF -> response.put("data", Base64.getEncoder().encodeToString(body));
      }
    }
    return response;
  }

  /** The error name of a handler's non-2xx status, by analogy with the acks' names. */
  static String errorName(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 401, 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 408, 504 -> "Timeout";
      default -> "InternalServerError";
    };
  }

  /**
   * A handler's {@code text/plain} UTF-8 error body (its first 1,024 characters) is the message the
   * caller sees; otherwise the message names the status.
   */
  private static String errorMessage(Upstream.Answer answer) {
    DataType type = DataType.ofContentType(answer.contentType());
    byte[] body = answer.body();
    if (type == DataType.TEXT && body.length > 0 && Http.isUtf8(body)) {
      String text = new String(body, StandardCharsets.UTF_8);
      return (text.length() > MAX_ERROR_MESSAGE) ? text.substring(0, MAX_ERROR_MESSAGE) : text;
    }
    return "The event handler answered " + answer.status();
  }

  private static void respond(ClientConnection connection, String id, AckError error) {
    connection.deliverProtocol(
        error(id, error.name(), java.util.Objects.toString(error.getMessage(), error.name())));
  }

  private static ObjectNode error(String id, String name, String message) {
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("type", "invokeResponse");
    response.put("invocationId", id);
    response.put("success", false);
    ObjectNode error = response.putObject("error");
    error.put("name", name);
    error.put("message", message);
    return response;
  }
}
