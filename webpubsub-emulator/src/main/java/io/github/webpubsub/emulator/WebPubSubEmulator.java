package io.github.webpubsub.emulator;

import io.github.webpubsub.emulator.internal.EmulatorServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A local Azure Web PubSub service: the REST data plane, WebSocket clients at {@code
 * /client/hubs/{hub}} and upstream event handlers, bound to {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (WebPubSubEmulator emulator = WebPubSubEmulator.start()) {
 *   String connectionString = emulator.getConnectionString();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubEmulator implements AutoCloseable {

  /**
   * The well-known development key, the same as Microsoft's own emulator uses; the standalone
   * emulator's default. An embedded emulator gets a fresh random key unless {@link
   * Builder#accessKey(String)} sets one.
   */
  public static final String DEFAULT_ACCESS_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  /** The port the standalone emulator listens on when none is given. */
  public static final int DEFAULT_PORT = 8080;

  /** Messages a client may fall behind by default before it is closed. */
  public static final int DEFAULT_MAX_QUEUED_MESSAGES = 16_384;

  /**
   * Bytes of messages a client may fall behind by default before it is closed (16 MiB, as
   * Microsoft's emulator allows).
   *
   * @since 0.1.0
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = EmulatorServer.DEFAULT_MAX_QUEUED_BYTES;

  /**
   * How long a connection has by default to send a request's head, and how long a request body may
   * pause between two reads (10 seconds).
   *
   * @since 0.1.0
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = EmulatorServer.DEFAULT_REQUEST_TIMEOUT;

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final EmulatorServer server;

  private final String accessKey;

  private WebPubSubEmulator(EmulatorServer server, String accessKey) {
    this.server = server;
    this.accessKey = accessKey;
  }

  /**
   * Returns a builder; by default a free port and a fresh random access key for each start.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts an emulator on a free port with a fresh random access key (see {@link #getAccessKey()}).
   *
   * @return the running emulator
   */
  public static WebPubSubEmulator start() {
    return builder().start();
  }

  /**
   * Returns the port the emulator listens on.
   *
   * @return the port
   */
  public int getPort() {
    return this.server.port();
  }

  /**
   * Returns the service endpoint, {@code http://localhost:PORT}.
   *
   * @return the endpoint
   */
  public URI getEndpoint() {
    return URI.create("http://localhost:" + getPort());
  }

  /**
   * Returns the access key that signs and verifies tokens: the one given to the builder, or the
   * random key this emulator was started with.
   *
   * @return the access key
   */
  public String getAccessKey() {
    return this.accessKey;
  }

  /**
   * Returns the connection string, {@code
   * Endpoint=http://localhost:PORT;AccessKey=KEY;Version=1.0;}.
   *
   * @return the connection string
   */
  public String getConnectionString() {
    return "Endpoint=" + getEndpoint() + ";AccessKey=" + this.accessKey + ";Version=1.0;";
  }

  /**
   * Sets the event handler of a hub, also while running; {@code {event}} and {@code {hub}} in the
   * template are replaced per call. A hub of {@code *} applies to hubs without their own handler.
   *
   * @param hub the hub name
   * @param urlTemplate the absolute http(s) URL template
   */
  public void addEventHandler(String hub, String urlTemplate) {
    this.server.addEventHandler(hub, urlTemplate);
  }

  /**
   * Returns how many WebSocket clients are connected.
   *
   * @return the number of connections across all hubs
   */
  public int getConnectionCount() {
    return this.server.connectionCount();
  }

  /** Closes every client with a close frame and stops the server. */
  @Override
  public void close() {
    this.server.close(CLOSE_TIMEOUT);
  }

  @Override
  public String toString() {
    return "WebPubSubEmulator[endpoint=" + getEndpoint() + "]";
  }

  /**
   * Configures and starts a {@link WebPubSubEmulator}.
   *
   * @since 0.1.0
   */
  public static final class Builder {

    private int port;

    private @Nullable String accessKey;

    private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;

    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;

    private Duration reconnectionWindow = EmulatorServer.DEFAULT_RECONNECTION_WINDOW;

    private Duration requestTimeout = EmulatorServer.DEFAULT_REQUEST_TIMEOUT;

    private Duration invocationTimeout = EmulatorServer.DEFAULT_INVOCATION_TIMEOUT;

    private final Map<String, String> eventHandlers = new LinkedHashMap<>();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Builder() {}

    /**
     * Sets the port; 0 (the default) picks a free one.
     *
     * @param port the port, 0-65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the access key; it must be at least 32 UTF-8 bytes (HS256). Without it each start uses a
     * fresh random key (44 characters, the base64 of 32 random bytes, like the portal's keys), so
     * no embedded emulator trusts the publicly known {@link #DEFAULT_ACCESS_KEY}.
     *
     * @param accessKey the access key
     * @return this builder
     */
    public Builder accessKey(String accessKey) {
      int length = accessKey.getBytes(StandardCharsets.UTF_8).length;
      if (length < 32) {
        throw new IllegalArgumentException(
            "accessKey must be at least 32 bytes (HS256 needs a 256-bit key) but has " + length);
      }
      this.accessKey = accessKey;
      return this;
    }

    /**
     * Sets how many messages a client may fall behind before it is closed (status 1008 with a
     * reason) rather than have messages dropped.
     *
     * @param maxQueuedMessages the bound of each client's outbound queue, at least 1
     * @return this builder
     */
    public Builder maxQueuedMessages(int maxQueuedMessages) {
      if (maxQueuedMessages < 1) {
        throw new IllegalArgumentException(
            "maxQueuedMessages must be at least 1 but was " + maxQueuedMessages);
      }
      this.maxQueuedMessages = maxQueuedMessages;
      return this;
    }

    /**
     * Sets how many bytes of messages (the frames' payloads) a client may fall behind before it is
     * closed (status 1008 with a reason), so that one client that does not read cannot exhaust the
     * heap. A message always fits into an empty queue. Messages count until the socket has taken
     * them.
     *
     * @param maxQueuedBytes the bound of each client's outbound queue in bytes, at least 1
     * @return this builder
     * @since 0.1.0
     */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      if (maxQueuedBytes < 1) {
        throw new IllegalArgumentException(
            "maxQueuedBytes must be at least 1 but was " + maxQueuedBytes);
      }
      this.maxQueuedBytes = maxQueuedBytes;
      return this;
    }

    /**
     * Sets how long the session of a {@code json.reliable.webpubsub.azure.v1} client whose
     * WebSocket dropped (no close frame) is kept for recovery: its groups, un-acked messages and
     * ackIds. The service keeps it at least 30 seconds, the default; zero ends it at once.
     *
     * @param reconnectionWindow the window, zero or positive
     * @return this builder
     * @since 0.1.0
     */
    public Builder reconnectionWindow(Duration reconnectionWindow) {
      if (reconnectionWindow.isNegative()) {
        throw new IllegalArgumentException(
            "reconnectionWindow must not be negative but was " + reconnectionWindow);
      }
      this.reconnectionWindow = reconnectionWindow;
      return this;
    }

    /**
     * Sets how long a connection has to send the head of a request (request line and headers,
     * WebSocket upgrades included), counted from connecting or from the end of the previous
     * response on a kept-alive connection, and how long a request's body may pause between two
     * reads. Past it a connection that sent part of a head gets {@code 408} and is closed; an idle
     * one, or one whose body stalls, is closed. Default 10 seconds. Established WebSockets have no
     * idle timeout.
     *
     * @param requestTimeout the timeout, positive
     * @return this builder
     * @since 0.1.0
     */
    public Builder requestTimeout(Duration requestTimeout) {
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout must be positive but was " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /**
     * Sets how long a client's invocation ({@code invoke}, JavaScript {@code invokeEvent}) waits
     * for the event handler's answer; past it the client gets an {@code invokeResponse} with error
     * {@code Timeout} and the upstream call is cancelled. Default 30 seconds.
     *
     * @param invocationTimeout the timeout, positive
     * @return this builder
     * @since 0.1.0
     */
    public Builder invocationTimeout(Duration invocationTimeout) {
      if (invocationTimeout.isNegative() || invocationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "invocationTimeout must be positive but was " + invocationTimeout);
      }
      this.invocationTimeout = invocationTimeout;
      return this;
    }

    /**
     * Adds the event handler of a hub.
     *
     * @param hub the hub name, or {@code *} for every hub
     * @param urlTemplate the absolute http(s) URL; {@code {event}} and {@code {hub}} are replaced
     * @return this builder
     */
    public Builder eventHandler(String hub, String urlTemplate) {
      this.eventHandlers.put(hub, urlTemplate);
      return this;
    }

    /**
     * Starts the emulator on {@code 127.0.0.1}.
     *
     * @return the running emulator
     */
    public WebPubSubEmulator start() {
      String key = (this.accessKey != null) ? this.accessKey : randomAccessKey();
      EmulatorServer server =
          EmulatorServer.start(
              "127.0.0.1",
              this.port,
              key,
              this.maxQueuedMessages,
              this.maxQueuedBytes,
              this.reconnectionWindow,
              this.requestTimeout);
      server.invocationTimeout(this.invocationTimeout);
      try {
        this.eventHandlers.forEach(server::addEventHandler);
      } catch (RuntimeException ex) {
        // Stop the half-started server, but let the refusal be what the caller sees.
        try {
          server.close(Duration.ofSeconds(5));
        } catch (RuntimeException closeFailure) {
          ex.addSuppressed(closeFailure);
        }
        throw ex;
      }
      return new WebPubSubEmulator(server, key);
    }

    private static String randomAccessKey() {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
  }
}
