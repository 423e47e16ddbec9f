package io.github.webpubsub.emulator.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The running emulator: one HTTP server for the REST data plane and the client WebSocket. */
public final class EmulatorServer {

  private static final System.Logger LOG = System.getLogger(EmulatorServer.class.getName());

  private final Jwt jwt;

  private final Map<String, Hub> hubs = new ConcurrentHashMap<>();

  private final Upstream upstream;

  private final RestApi rest;

  private final ClientEndpoint clients;

  private final MqttEndpoint mqtt;

  private final DisposableServer server;

  private final int queueCapacity;

  private final long maxQueuedBytes;

  private final Duration reconnectionWindow;

  /** How long a client has by default to send a request's head, and between reads of its body. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** How long the session of a dropped reliable client is kept by default, as the service does. */
  public static final Duration DEFAULT_RECONNECTION_WINDOW = Duration.ofSeconds(30);

  /** Bytes of messages a client may fall behind by default, as Microsoft's emulator allows. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;

  private EmulatorServer(
      String host,
      int port,
      String accessKey,
      int queueCapacity,
      long maxQueuedBytes,
      Duration reconnectionWindow,
      Duration requestTimeout) {
    this.queueCapacity = queueCapacity;
    this.maxQueuedBytes = maxQueuedBytes;
    this.reconnectionWindow = reconnectionWindow;
    this.jwt = new Jwt(accessKey);
    this.upstream = new Upstream(this.jwt, "localhost");
    this.rest = new RestApi(this);
    this.clients = new ClientEndpoint(this);
    this.mqtt = new MqttEndpoint(this);
    this.server =
        HttpServer.create()
            .host(host)
            .port(port)
            // The head has its own deadline; the body may pause at most this long between reads.
            .doOnChannelInit(
                (observer, channel, remote) -> RequestHeadTimeout.install(channel, requestTimeout))
            .readTimeout(requestTimeout)
            .handle(this::route)
            .bindNow();
  }

  /**
   * Starts a server.
   *
   * @param host the address to bind
   * @param port the port, 0 for a free one
   * @param accessKey the access key, at least 32 bytes
   * @param queueCapacity messages a client may fall behind before it is closed
   * @return the running server
   */
  public static EmulatorServer start(String host, int port, String accessKey, int queueCapacity) {
    return start(
        host,
        port,
        accessKey,
        queueCapacity,
        DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_RECONNECTION_WINDOW,
        DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * Starts a server.
   *
   * @param host the address to bind
   * @param port the port, 0 for a free one
   * @param accessKey the access key, at least 32 bytes
   * @param queueCapacity messages a client may fall behind before it is closed
   * @param maxQueuedBytes bytes of messages a client may fall behind before it is closed
   * @param reconnectionWindow how long a dropped {@code json.reliable.webpubsub.azure.v1} client's
   *     session is kept for recovery; zero ends it at once
   * @param requestTimeout how long a connection has to send a request's head (from connecting or
   *     from the previous response), and at most between two reads of a request's body
   * @return the running server
   */
  public static EmulatorServer start(
      String host,
      int port,
      String accessKey,
      int queueCapacity,
      long maxQueuedBytes,
      Duration reconnectionWindow,
      Duration requestTimeout) {
    return new EmulatorServer(
        host, port, accessKey, queueCapacity, maxQueuedBytes, reconnectionWindow, requestTimeout);
  }

  /**
   * Returns the bound port.
   *
   * @return the port
   */
  public int port() {
    return this.server.port();
  }

  /**
   * Sets the event handler URL template of a hub ({@code *} for every hub without its own).
   *
   * @param hub the hub name
   * @param urlTemplate the URL, may contain {@code {event}} and {@code {hub}}
   */
  public void addEventHandler(String hub, String urlTemplate) {
    this.upstream.add(hub, urlTemplate);
  }

  /**
   * Returns how many clients are connected.
   *
   * @return the number of connections across hubs
   */
  public int connectionCount() {
    return this.hubs.values().stream().mapToInt((hub) -> hub.connections().size()).sum();
  }

  /**
   * Closes every client with a close frame, waits up to the timeout for them to go and for the
   * upstream calls under way (their {@code disconnected} events among them) to be answered, then
   * stops the server and cancels the upstream calls left: a stopped emulator no longer calls the
   * application.
   *
   * @param timeout how long to wait for clients and upstream calls together
   */
  public void close(Duration timeout) {
    long start = System.nanoTime();
    List<Mono<Void>> gone = new ArrayList<>();
    for (Hub hub : this.hubs.values()) {
      for (ClientConnection connection : List.copyOf(hub.connections())) {
        gone.add(connection.whenTerminated());
        closeConnection(connection, 1001, "The service is shutting down");
      }
    }
    try {
      Mono.when(gone).block(timeout);
    } catch (RuntimeException ex) {
      // Clients that did not answer the close frame in time are cut off below.
    }
    Duration left = timeout.minusNanos(System.nanoTime() - start);
    this.upstream.stop(left.isNegative() ? Duration.ZERO : left);
    this.server.disposeNow(timeout);
  }

  int queueCapacity() {
    return this.queueCapacity;
  }

  long maxQueuedBytes() {
    return this.maxQueuedBytes;
  }

  Duration reconnectionWindow() {
    return this.reconnectionWindow;
  }

  Jwt jwt() {
    return this.jwt;
  }

  /**
   * Sets how long a client's {@code invoke} waits for the event handler before it is answered with
   * error {@code Timeout}.
   *
   * @param timeout the timeout, positive
   */
  public void invocationTimeout(Duration timeout) {
    this.upstream.invocationTimeout(timeout);
  }

  /** The default invocation timeout, 30 seconds. */
  public static final Duration DEFAULT_INVOCATION_TIMEOUT = Upstream.DEFAULT_INVOCATION_TIMEOUT;

  Upstream upstream() {
    return this.upstream;
  }

  /** How hubs are keyed: the service's hub names are case-insensitive. */
  static String hubKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * The hub of that name, created on first use (or after it was freed): call it only for an
   * authenticated request, and {@link Hub#releaseIfIdle} it once done if it may have stayed empty.
   */
  Hub hub(String name) {
    String key = hubKey(name);
    Hub hub = this.hubs.get(key);
    if (hub != null && !hub.isFreed()) {
      return hub;
    }
    return this.hubs.compute(
        key, (k, old) -> (old == null || old.isFreed()) ? new Hub(k, this::forget) : old);
  }

  /** A freed hub leaves the map (unless its successor has already replaced it). */
  private void forget(Hub hub) {
    this.hubs.remove(hub.name(), hub);
  }

  /** The hub of that name if it exists; creates nothing (for requests not yet authenticated). */
  @Nullable Hub existingHub(String name) {
    return this.hubs.get(hubKey(name));
  }

  /** How many hubs hold state (connections, or users' groups kept for later connections). */
  int hubCount() {
    return this.hubs.size();
  }

  void closeConnection(ClientConnection connection, int status, String reason) {
    connection.hub().remove(connection);
    connection.close(status, reason);
  }

  /**
   * Routes a request. Bad input is answered by the handlers with a status; this is the last guard
   * for what they did not foresee: one log line (no stack trace) and a 500, rather than Reactor
   * Netty's stack trace and a dropped connection.
   */
  private Mono<Void> route(HttpServerRequest request, HttpServerResponse response) {
    Mono<Void> answer;
    try {
      answer = dispatch(request, response);
    } catch (RuntimeException ex) {
      answer = Mono.error(ex);
    }
    return answer.onErrorResume(
        (error) -> {
          LOG.log(
              System.Logger.Level.WARNING,
              "Request "
                  + request.method()
                  + " "
                  + Http.rawPath(request.uri())
                  + " failed: "
                  + error);
          if (response.hasSentHeaders()) {
            return Mono.empty();
          }
          return Http.error(
              request,
              response,
              new ServiceError(
                  500, "Error.InternalServerError", "request", "The emulator failed: " + error));
        });
  }

  private Mono<Void> dispatch(HttpServerRequest request, HttpServerResponse response) {
    String uri = request.uri();
    if (uri.startsWith("/api/")) {
      return this.rest.handle(request, response);
    }
    if (uri.startsWith("/client/")) {
      return this.clients.handle(request, response);
    }
    if (uri.startsWith("/clients/mqtt/")) {
      return this.mqtt.handle(request, response);
    }
    return Http.error(
        request, response, ServiceError.notFound("path", "No such endpoint: " + Http.rawPath(uri)));
  }

  @Override
  public String toString() {
    return "EmulatorServer[port=" + port() + "]";
  }
}
