package io.github.webpubsub.emulator.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CloudEvents HTTP calls the service makes to a hub's event handler: the abuse-protection
 * {@code OPTIONS} handshake, blocking {@code connect} and user events, and the {@code connected}
 * and {@code disconnected} notifications.
 */
final class Upstream {

  private static final System.Logger LOG = System.getLogger(Upstream.class.getName());

  private static final String ANY_HUB = "*";

  private static final Duration FOREVER = Duration.ofDays(3650);

  private final Jwt jwt;

  private final String origin;

  private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();

  /** Emits once the emulator stops: every upstream call still under way is cancelled then. */
  private final Sinks.One<Boolean> stopped = Sinks.one();

  /** Upstream calls subscribed to and not yet ended. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** How long a client's invocation waits for the handler's answer. */
  private volatile Duration invocationTimeout = DEFAULT_INVOCATION_TIMEOUT;

  /** The default of {@link #invocationTimeout()}: the upstream HTTP client's response timeout. */
  static final Duration DEFAULT_INVOCATION_TIMEOUT = Duration.ofSeconds(30);

  Upstream(Jwt jwt, String origin) {
    this.jwt = jwt;
    this.origin = origin;
  }

  void add(String hub, String urlTemplate) {
    String key = hub.equals(ANY_HUB) ? ANY_HUB : Names.hub(hub).toLowerCase(Locale.ROOT);
    if (!urlTemplate.startsWith("http://") && !urlTemplate.startsWith("https://")) {
      throw new IllegalArgumentException(
          "urlTemplate must be an absolute http(s) URL but was '" + urlTemplate + "'");
    }
    this.handlers.put(key, new EventHandler(key, urlTemplate));
  }

  /**
   * Stops calling the application: waits up to {@code grace} for the upstream calls under way (the
   * {@code disconnected} events of the clients just closed among them) to be answered, then cancels
   * the rest (their HTTP connections are closed) and every later call. A cancelled call fails with
   * {@link #STOPPED}.
   *
   * @param grace how long the calls under way may still take
   */
  void stop(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } finally {
      this.stopped.tryEmitValue(Boolean.TRUE);
    }
  }

  /**
   * This call, counted while under way; when the emulator stops it is cancelled and fails with
   * {@link #STOPPED} (not completed empty, which would read as "no event handler" and accept a
   * client whose {@code connect} the application had not answered).
   */
  private <T> Mono<T> untilStopped(Mono<T> call) {
    return Mono.firstWithSignal(call, this.stopped.asMono().then(Mono.<T>error(STOPPED)))
        .doOnSubscribe((subscription) -> this.inFlight.incrementAndGet())
        .doFinally((signal) -> this.inFlight.decrementAndGet());
  }

  /** Why an upstream call ended without an answer: the emulator stopped first. */
  static final RuntimeException STOPPED = new EmulatorStopped();

  /** See {@link #STOPPED}; one instance without a stack trace, since it says all there is. */
  private static final class EmulatorStopped extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EmulatorStopped() {
      super("The emulator stopped before the event handler answered", null, false, false);
    }
  }

  Duration invocationTimeout() {
    return this.invocationTimeout;
  }

  void invocationTimeout(Duration timeout) {
    this.invocationTimeout = timeout;
  }

  boolean has(String hub) {
    return handler(hub) != null;
  }

  private @Nullable EventHandler handler(String hub) {
    EventHandler handler = this.handlers.get(hub);
    return (handler != null) ? handler : this.handlers.get(ANY_HUB);
  }

  /** The blocking connect event; empty when the hub has no handler. */
  Mono<Answer> connect(
      String hub,
      String connectionId,
      @Nullable String userId,
      Map<String, List<String>> claims,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      List<String> subprotocols) {
    EventHandler handler = handler(hub);
    if (handler == null) {
      return Mono.empty();
    }
    ObjectNode body = connectBody(claims, query, headers, subprotocols);
    Event event =
        new Event(
            hub, connectionId, userId, null, null, 0, "azure.webpubsub.sys.connect", "connect");
    return handler.post(
        event, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(body));
  }

  /**
   * The blocking connect event of an MQTT client, one per CONNECT packet: the connect body plus
   * {@code mqtt}, with {@code ce-physicalConnectionId} and {@code ce-subprotocol: mqtt}; empty when
   * the hub has no handler.
   */
  Mono<Answer> mqttConnect(
      String hub,
      String clientId,
      MqttIds ids,
      @Nullable String userId,
      Map<String, List<String>> claims,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      JsonNode mqtt) {
    // JsonNode, not ObjectNode: verifying this class at start() must not load Jackson's node types.
    EventHandler handler = handler(hub);
    if (handler == null) {
      return Mono.empty();
    }
    ObjectNode body = connectBody(claims, query, headers, List.of(MqttIds.SUBPROTOCOL));
    body.set("mqtt", mqtt);
    Event event =
        new Event(
            hub,
            clientId,
            userId,
            MqttIds.SUBPROTOCOL,
            null,
            0,
            "azure.webpubsub.sys.connect",
            "connect",
            new MqttIds(ids.physicalConnectionId(), null));
    return handler.post(
        event, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(body));
  }

  private static ObjectNode connectBody(
      Map<String, List<String>> claims,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      List<String> subprotocols) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("claims", Json.MAPPER.valueToTree(claims));
    body.set("query", Json.MAPPER.valueToTree(query));
    body.set("headers", Json.MAPPER.valueToTree(headers));
    body.set("subprotocols", Json.MAPPER.valueToTree(subprotocols));
    body.putArray("clientCertificates");
    return body;
  }

  /**
   * A blocking user event of an MQTT client (a PUBLISH to {@code $webpubsub/server/events/{name}}):
   * its user properties go as {@code mqtt-<name>} headers; empty when the hub has no handler.
   */
  Mono<Answer> mqttUserEvent(
      ClientConnection connection,
      MqttIds ids,
      String eventName,
      String contentType,
      byte[] data,
      List<Map.Entry<String, String>> extraHeaders) {
    EventHandler handler = handler(connection.hub().name());
    if (handler == null) {
      return Mono.empty();
    }
    Event event = Event.of(connection, "azure.webpubsub.user." + eventName, eventName).with(ids);
    return handler.post(event, contentType, data, extraHeaders);
  }

  /** The {@code connected} event of an MQTT client's new session. */
  void mqttConnected(ClientConnection connection, MqttIds ids) {
    notify(Event.of(connection, "azure.webpubsub.sys.connected", "connected").with(ids), "{}");
  }

  /** The {@code disconnected} event of an MQTT client's session, body as given. */
  void mqttDisconnected(ClientConnection connection, MqttIds ids, ObjectNode body) {
    notify(
        Event.of(connection, "azure.webpubsub.sys.disconnected", "disconnected").with(ids),
        body.toString());
  }

  /** A blocking user event; empty when the hub has no handler. */
  Mono<Answer> userEvent(
      ClientConnection connection, String eventName, DataType type, byte[] data) {
    EventHandler handler = handler(connection.hub().name());
    if (handler == null) {
      return Mono.empty();
    }
    return handler.post(
        Event.of(connection, "azure.webpubsub.user." + eventName, eventName),
        type.contentType(),
        data);
  }

  void connected(ClientConnection connection) {
    notify(connection, "connected", "{}");
  }

  void disconnected(ClientConnection connection, String reason) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("reason", reason);
    notify(connection, "disconnected", body.toString());
  }

  private void notify(ClientConnection connection, String name, String body) {
    notify(Event.of(connection, "azure.webpubsub.sys." + name, name), body);
  }

  private void notify(Event event, String body) {
    String name = event.name();
    EventHandler handler = handler(event.hub());
    if (handler != null) {
      handler
          .post(event, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8))
          .subscribe(
              (answer) -> {},
              (error) -> {
                if (error != STOPPED) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "Event handler call '" + name + "' failed: " + error.getMessage());
                }
              });
    }
  }

  String signature(String connectionId) {
    return "sha256=" + HexFormat.of().formatHex(this.jwt.hmac(connectionId));
  }

  /** What identifies one event on the wire. */
  record Event(
      String hub,
      String connectionId,
      @Nullable String userId,
      @Nullable String subprotocol,
      @Nullable String connectionState,
      long id,
      String type,
      String name,
      @Nullable MqttIds mqtt) {

    Event(
        String hub,
        String connectionId,
        @Nullable String userId,
        @Nullable String subprotocol,
        @Nullable String connectionState,
        long id,
        String type,
        String name) {
      this(hub, connectionId, userId, subprotocol, connectionState, id, type, name, null);
    }

    static Event of(ClientConnection connection, String type, String name) {
      return new Event(
          connection.hub().name(),
          connection.connectionId(),
          connection.userId(),
          connection.protocol(),
          connection.connectionState(),
          connection.nextEventId(),
          type,
          name);
    }

    Event with(MqttIds ids) {
      return new Event(
          this.hub,
          this.connectionId,
          this.userId,
          this.subprotocol,
          this.connectionState,
          this.id,
          this.type,
          this.name,
          ids);
    }
  }

  /**
   * The ids an MQTT client's events carry besides its connection id (the client ID): the WebSocket
   * ({@code ce-physicalConnectionId}, in {@code ce-source} too) and the session ({@code
   * ce-sessionId}, on every event but {@code connect}).
   */
  record MqttIds(String physicalConnectionId, @Nullable String sessionId) {

    static final String SUBPROTOCOL = "mqtt";
  }

  /** An event handler's answer: status, body and the optional new connection state. */
  record Answer(
      int status,
      @Nullable String contentType,
      byte[] body,
      @Nullable String connectionState,
      List<Map.Entry<String, String>> mqttHeaders) {

    Answer(
        int status, @Nullable String contentType, byte[] body, @Nullable String connectionState) {
      this(status, contentType, body, connectionState, List.of());
    }

    boolean isSuccess() {
      return this.status >= 200 && this.status < 300;
    }

    @Nullable JsonNode json() {
      if (this.body.length == 0) {
        return null;
      }
      return Json.MAPPER.readTree(this.body);
    }
  }

  private final class EventHandler {

    private final String hub;

    private final String template;

    private final Mono<Void> validation;

    EventHandler(String hub, String template) {
      this.hub = hub;
      this.template = template;
      this.validation =
          untilStopped(Mono.defer(this::validate))
              .cache((v) -> FOREVER, (error) -> Duration.ZERO, () -> FOREVER);
    }

    private String url(String hub, String event) {
      return this.template.replace("{hub}", hub).replace("{event}", event);
    }

    private Mono<Void> validate() {
      String url = url(this.hub.equals(ANY_HUB) ? "validate" : this.hub, "validate");
      return Client.HTTP
          .headers(
              (h) ->
                  h.set("WebHook-Request-Origin", Upstream.this.origin)
                      .set("ce-awpsversion", "1.0"))
          .request(HttpMethod.OPTIONS)
          .uri(url)
          .responseSingle(
              (response, body) -> {
                String allowed = response.responseHeaders().get("WebHook-Allowed-Origin");
                boolean ok =
                    response.status().code() / 100 == 2
                        && allowed != null
                        && List.of(allowed.split(",")).stream()
                            .map(String::trim)
                            .anyMatch(
                                (o) -> o.equals("*") || o.equalsIgnoreCase(Upstream.this.origin));
                if (!ok) {
                  return Mono.error(
                      new IllegalStateException(
                          "Event handler "
                              + url
                              + " refused the abuse-protection handshake (status "
                              + response.status().code()
                              + ", WebHook-Allowed-Origin "
                              + allowed
                              + ")"));
                }
                return Mono.<Void>empty();
              })
          .then();
    }

    Mono<Answer> post(Event event, String contentType, byte[] body) {
      return post(event, contentType, body, List.of());
    }

    Mono<Answer> post(
        Event event,
        String contentType,
        byte[] body,
        List<Map.Entry<String, String>> extraHeaders) {
      String url = url(event.hub(), event.name());
      return untilStopped(
          this.validation.then(
              Client.HTTP
                  .headers(
                      (h) -> {
                        headers(h, event, contentType);
                        extraHeaders.forEach((header) -> h.add(header.getKey(), header.getValue()));
                      })
                  .post()
                  .uri(url)
                  .send(Mono.just(Unpooled.wrappedBuffer(body)))
                  .responseSingle(
                      (response, content) ->
                          content
                              .asByteArray()
                              .defaultIfEmpty(new byte[0])
                              .map(
                                  (bytes) ->
                                      new Answer(
                                          response.status().code(),
                                          response.responseHeaders().get("Content-Type"),
                                          bytes,
                                          response.responseHeaders().get("ce-connectionState"),
                                          mqttHeaders(response.responseHeaders()))))));
    }

    private void headers(HttpHeaders h, Event event, String contentType) {
      h.set("Content-Type", contentType).set("WebHook-Request-Origin", Upstream.this.origin);
      ce(h, "ce-specversion", "1.0");
      ce(h, "ce-awpsversion", "1.0");
      ce(h, "ce-type", event.type());
      MqttIds mqtt = event.mqtt();
      ce(
          h,
          "ce-source",
          "/hubs/"
              + event.hub()
              + "/client/"
              + event.connectionId()
              + ((mqtt != null) ? "/" + mqtt.physicalConnectionId() : ""));
      if (mqtt != null) {
        ce(h, "ce-physicalConnectionId", mqtt.physicalConnectionId());
        String sessionId = mqtt.sessionId();
        if (sessionId != null) {
          ce(h, "ce-sessionId", sessionId);
        }
      }
      ce(h, "ce-id", Long.toString(event.id()));
      ce(h, "ce-time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
      ce(h, "ce-signature", signature(event.connectionId()));
      ce(h, "ce-connectionId", event.connectionId());
      ce(h, "ce-hub", event.hub());
      ce(h, "ce-eventName", event.name());
      if (event.userId() != null) {
        ce(h, "ce-userId", event.userId());
      }
      if (event.subprotocol() != null) {
        ce(h, "ce-subprotocol", event.subprotocol());
      }
      if (event.connectionState() != null) {
        ce(h, "ce-connectionState", event.connectionState());
      }
    }
  }

  /** An answer's {@code mqtt-*} headers (user properties for an MQTT client's event reply). */
  private static List<Map.Entry<String, String>> mqttHeaders(HttpHeaders headers) {
    List<Map.Entry<String, String>> mqtt = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().regionMatches(true, 0, "mqtt-", 0, 5) && header.getKey().length() > 5) {
        mqtt.add(Map.entry(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
      }
    }
    return mqtt;
  }

  private static void ce(HttpHeaders headers, String name, String value) {
    headers.set(name, percentEncode(value));
  }

  /**
   * A CloudEvents string attribute as an HTTP header value (HTTP protocol binding 1.0, section
   * 3.1.3.2): the UTF-8 bytes, each byte outside printable ASCII (U+0021-U+007E) and each space,
   * {@code "} and {@code %} written as {@code %XX} with upper-case hex. Ids from tokens and
   * handlers may hold any character (CR and LF too); this way none can add or break a header, and
   * ASCII ids without those characters are unchanged.
   */
  static String percentEncode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder encoded = null;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean plain = b >= 0x21 && b <= 0x7E && b != '"' && b != '%';
      if (encoded == null) {
        if (plain) {
          continue;
        }
        encoded = new StringBuilder(bytes.length + 16);
        encoded.append(value, 0, i); // bytes before i are ASCII, one char each
      }
      if (plain) {
        encoded.append((char) b);
      } else {
        encoded.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
      }
    }
    return (encoded == null) ? value : encoded.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static List<String> strings(@Nullable JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach((item) -> values.add(item.asString()));
    }
    return values;
  }

  /**
   * The HTTP client of every event handler, built on the first upstream call rather than while the
   * server starts (most emulators never call a handler).
   */
  private static final class Client {

    static final HttpClient HTTP = HttpClient.create().responseTimeout(Duration.ofSeconds(30));
  }
}
