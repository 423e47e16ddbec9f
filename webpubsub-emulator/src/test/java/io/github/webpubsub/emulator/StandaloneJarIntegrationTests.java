package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The executable {@code target/webpubsub-emulator.jar} as a user runs it: {@code java -jar} in a
 * child process, talked to only over its stdout, HTTP and WebSocket. Run by failsafe after the
 * shade plugin has written the jar. Tokens are signed here with {@link Mac}, not with the
 * emulator's own code.
 */
@Tag("standalone-jar")
class StandaloneJarIntegrationTests {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final String DEFAULT_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private static final Pattern CONNECTION_STRING =
      Pattern.compile(
          "Connection string: Endpoint=http://localhost:(\\d+);AccessKey=(.+);Version=1\\.0;");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  private final List<Emulator> emulators = new ArrayList<>();

  private final List<Disposable> disposables = new ArrayList<>();

  @AfterEach
  void stopEverything() throws InterruptedException {
    this.disposables.forEach(Disposable::dispose);
    for (Emulator emulator : this.emulators) {
      Process process = emulator.process();
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void givenPortAndKeyPrintsOneConnectionStringWhoseKeySignsRestCalls() throws Exception {
    String key = randomKey();
    assertThat(key).hasSize(44);

    Emulator emulator = start("--port=0", "--access-key=" + key);
    Matcher connectionString = emulator.awaitConnectionString();

    int port = Integer.parseInt(connectionString.group(1));
    assertThat(port).isBetween(1, 65535);
    assertThat(connectionString.group(2)).isEqualTo(key);
    assertThat(send(port, key, "hello").statusCode()).isEqualTo(202);
    assertThat(send(port, randomKey(), "hello").statusCode()).isEqualTo(401);
    assertThat(emulator.stdout())
        .containsExactly(
            "Connection string: Endpoint=http://localhost:"
                + port
                + ";AccessKey="
                + key
                + ";Version=1.0;");
    assertThat(emulator.process().isAlive()).isTrue();
    assertThat(emulator.stderr()).noneMatch((line) -> line.contains("well-known"));
  }

  @Test
  void withoutAccessKeyUsesMicrosoftsDevelopmentKey() throws Exception {
    Emulator emulator = start("--port=0");
    Matcher connectionString = emulator.awaitConnectionString();

    assertThat(connectionString.group(2)).isEqualTo(DEFAULT_KEY);
    int port = Integer.parseInt(connectionString.group(1));
    assertThat(send(port, DEFAULT_KEY, "hello").statusCode()).isEqualTo(202);
    await()
        .atMost(START_TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(emulator.stderr())
                    .contains(
                        "webpubsub-emulator: uses the well-known development key; pass"
                            + " --access-key for your own"));
    assertThat(emulator.stdout()).hasSize(1);
  }

  @Test
  void keyShorterThan32BytesExitsWithClearMessageAndNoConnectionString() throws Exception {
    String shortKey = "0123456789012345678901234567890";
    assertThat(shortKey.getBytes(StandardCharsets.UTF_8)).hasSize(31);

    Emulator emulator = start("--port=0", "--access-key=" + shortKey);
    int exitCode = emulator.awaitExit();

    assertThat(exitCode).isEqualTo(2);
    assertThat(emulator.stderr())
        .contains(
            "webpubsub-emulator: --access-key must be at least 32 bytes (HS256 needs a 256-bit key)"
                + " but has 31")
        .noneMatch((line) -> line.contains(shortKey));
    assertThat(emulator.stdout()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "--port=abc | --port must be a number between 0 and 65535 (0 = a free port) but was 'abc'",
        "--port=70000 | --port must be a number between 0 and 65535 (0 = a free port) but was"
            + " '70000'",
        "--event-handler=chat | --event-handler must be HUB=URL, e.g."
            + " --event-handler=chat=http://localhost:3000/eventhandler/{event}",
        "--event-handler=chat=localhost:3000/{event} | --event-handler URL must be an absolute"
            + " http(s) URL but was 'localhost:3000/{event}'",
        "--verbose | Unknown argument '--verbose'. Usage: --port=PORT --access-key=KEY"
            + " [--event-handler=HUB=URL ...]",
      })
  void invalidArgumentExitsWithMessageNamingTheOptionAndNoConnectionString(
      String argument, String message) {
    Emulator emulator = start("--port=0", argument);

    assertThat(emulator.awaitExit()).isEqualTo(2);
    assertThat(emulator.stderr()).contains("webpubsub-emulator: " + message);
    assertThat(emulator.stdout()).isEmpty();
  }

  @Test
  void sigtermClosesConnectedClientsWithCloseFrameAndExitsZero() throws Exception {
    Emulator emulator = start("--port=0", "--access-key=" + randomKey());
    Matcher connectionString = emulator.awaitConnectionString();
    int port = Integer.parseInt(connectionString.group(1));
    String key = connectionString.group(2);
    WebSocketClient plain = connect(port, key, "alice", null);
    WebSocketClient json = connect(port, key, "bob", "json.webpubsub.azure.v1");
    await().atMost(START_TIMEOUT).until(plain::isOpen);
    await().atMost(START_TIMEOUT).until(() -> json.messages().size() == 1);
    assertThat(json.messages().get(0).path("event").asString()).isEqualTo("connected");

    emulator.process().destroy();

    await()
        .atMost(START_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(plain.closeStatus()).isNotNull();
              assertThat(json.closeStatus()).isNotNull();
            });
    assertThat(plain.closeStatus().code()).isEqualTo(1001);
    assertThat(plain.closeStatus().reasonText()).isEqualTo("The service is shutting down");
    assertThat(json.closeStatus().code()).isEqualTo(1001);
    assertThat(json.messages()).hasSize(2);
    assertThat(json.messages().get(1).path("event").asString()).isEqualTo("disconnected");
    assertThat(emulator.awaitExit()).isEqualTo(0);
  }

  @Test
  void eventHandlerArgumentMakesConnectingClientsCallTheHandler() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    DisposableServer handler =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(
                            (body) -> {
                              received.add(
                                  new Received(
                                      request.method().name(),
                                      request.uri(),
                                      request.requestHeaders().copy(),
                                      body));
                              if (request.method().equals(HttpMethod.OPTIONS)) {
                                return response
                                    .header(
                                        "WebHook-Allowed-Origin",
                                        request.requestHeaders().get("WebHook-Request-Origin"))
                                    .send()
                                    .then();
                              }
                              if (request.uri().endsWith("/connect")) {
                                return response
                                    .header("Content-Type", "application/json")
                                    .sendString(Mono.just("{\"userId\":\"from-handler\"}"))
                                    .then();
                              }
                              return response.status(204).send().then();
                            }))
            .bindNow();
    this.disposables.add(handler);
    String key = randomKey();
    Emulator emulator =
        start(
            "--port=0",
            "--access-key=" + key,
            "--event-handler=chat=http://localhost:" + handler.port() + "/eventhandler/{event}");
    int port = Integer.parseInt(emulator.awaitConnectionString().group(1));

    WebSocketClient client = connect(port, key, "alice", "json.webpubsub.azure.v1");

    await().atMost(START_TIMEOUT).until(() -> client.messages().size() == 1);
    JsonNode connected = client.messages().get(0);
    assertThat(connected.path("event").asString()).isEqualTo("connected");
    assertThat(connected.path("userId").asString()).isEqualTo("from-handler");
    await()
        .atMost(START_TIMEOUT)
        .until(() -> received.stream().anyMatch((r) -> r.uri().endsWith("/connected")));
    assertThat(received).extracting(Received::method).startsWith("OPTIONS", "POST", "POST");
    assertThat(received)
        .extracting(Received::uri)
        .startsWith("/eventhandler/validate", "/eventhandler/connect", "/eventhandler/connected");
    Received validate = received.get(0);
    assertThat(validate.headers().get("WebHook-Request-Origin")).isNotBlank();
    assertThat(validate.headers().get("ce-awpsversion")).isEqualTo("1.0");
    Received connect = received.get(1);
    String connectionId = connect.headers().get("ce-connectionId");
    assertThat(connectionId).isNotBlank();
    assertThat(connect.headers().get("ce-type")).isEqualTo("azure.webpubsub.sys.connect");
    assertThat(connect.headers().get("ce-hub")).isEqualTo("chat");
    assertThat(connect.headers().get("ce-userId")).isEqualTo("alice");
    assertThat(connect.headers().get("ce-signature"))
        .isEqualTo("sha256=" + HexFormat.of().formatHex(hmac(key, connectionId)));
    assertThat(JSON.readTree(connect.body()).path("claims").path("sub").path(0).asString())
        .isEqualTo("alice");
    Received notification = received.get(2);
    assertThat(notification.headers().get("ce-type")).isEqualTo("azure.webpubsub.sys.connected");
    assertThat(notification.headers().get("ce-connectionId")).isEqualTo(connectionId);
    assertThat(notification.headers().get("ce-userId")).isEqualTo("from-handler");
  }

  private Emulator start(String... args) {
    Path jar =
        Path.of(System.getProperty("webpubsub.emulator.jar", "target/webpubsub-emulator.jar"));
    assertThat(jar)
        .as("the shaded jar (built by `package`); run this class with failsafe in `verify`")
        .isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Emulator emulator;
    try {
      emulator = new Emulator(new ProcessBuilder(command).start());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    this.emulators.add(emulator);
    return emulator;
  }

  private WebSocketClient connect(int port, String key, String userId, @Nullable String protocol) {
    String url = "http://localhost:" + port + "/client/hubs/chat";
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", url);
    claims.put("exp", Instant.now().getEpochSecond() + 300);
    claims.put("sub", userId);
    URI uri = URI.create(url.replace("http", "ws") + "?access_token=" + jwt(key, claims));
    WebSocketClient client = new WebSocketClient(uri, protocol);
    this.disposables.add(client.connection());
    return client;
  }

  private static HttpResponse<String> send(int port, String key, String message)
      throws IOException, InterruptedException {
    String url = "http://localhost:" + port + "/api/hubs/chat/:send?api-version=2024-12-01";
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", url);
    claims.put("exp", Instant.now().getEpochSecond() + 300);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + jwt(key, claims))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(message))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String jwt(String key, Map<String, Object> claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        base64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = base64.encodeToString(JSON.writeValueAsBytes(claims));
    String signingInput = header + "." + payload;
    return signingInput + "." + base64.encodeToString(hmac(key, signingInput));
  }

  private static byte[] hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A running (or finished) {@code java -jar webpubsub-emulator.jar} and what it printed. */
  private static final class Emulator {

    private final Process process;

    private final List<String> stdout = new CopyOnWriteArrayList<>();

    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private final List<Thread> readers;

    Emulator(Process process) {
      this.process = process;
      this.readers =
          List.of(
              read(process.inputReader(StandardCharsets.UTF_8), this.stdout),
              read(process.errorReader(StandardCharsets.UTF_8), this.stderr));
    }

    private static Thread read(BufferedReader reader, List<String> lines) {
      Thread thread =
          new Thread(
              () -> {
                try (reader) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException ex) {
                  throw new UncheckedIOException(ex);
                }
              },
              "emulator-output");
      thread.setDaemon(true);
      thread.start();
      return thread;
    }

    Process process() {
      return this.process;
    }

    List<String> stdout() {
      return this.stdout;
    }

    List<String> stderr() {
      return this.stderr;
    }

    Matcher awaitConnectionString() {
      await()
          .atMost(START_TIMEOUT)
          .failFast(
              () ->
                  assertThat(this.process.isAlive())
                      .as("emulator running; it printed to stderr: %s", this.stderr)
                      .isTrue())
          .until(() -> !this.stdout.isEmpty());
      Matcher matcher = CONNECTION_STRING.matcher(this.stdout.get(0));
      assertThat(matcher.matches()).as("first stdout line: %s", this.stdout.get(0)).isTrue();
      return matcher;
    }

    /** Waits until the process has exited and all it printed has been read. */
    int awaitExit() {
      await()
          .atMost(START_TIMEOUT)
          .until(() -> this.readers.stream().noneMatch(Thread::isAlive) && !this.process.isAlive());
      return this.process.exitValue();
    }
  }

  /** A request the event handler received. */
  private record Received(String method, String uri, HttpHeaders headers, String body) {}

  /** A Reactor Netty WebSocket client recording text messages and the close frame it receives. */
  private static final class WebSocketClient {

    private final AtomicBoolean open = new AtomicBoolean();

    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

    private final AtomicReference<@Nullable WebSocketCloseStatus> closeStatus =
        new AtomicReference<>();

    private final Disposable connection;

    WebSocketClient(URI uri, @Nullable String protocol) {
      WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder();
      if (protocol != null) {
        spec.protocols(protocol);
      }
      this.connection =
          HttpClient.create()
              .websocket(spec.build())
              .uri(uri)
              .handle(
                  (in, out) -> {
                    in.receiveCloseStatus().subscribe(this.closeStatus::set);
                    this.open.set(true);
                    return in.receiveFrames()
                        .ofType(TextWebSocketFrame.class)
                        .doOnNext(
                            (frame) ->
                                this.messages.add(
                                    JSON.readTree(ByteBufUtil.getBytes(frame.content()))))
                        .then();
                  })
              .subscribe();
    }

    boolean isOpen() {
      return this.open.get();
    }

    List<JsonNode> messages() {
      return this.messages;
    }

    @Nullable WebSocketCloseStatus closeStatus() {
      return this.closeStatus.get();
    }

    Disposable connection() {
      return this.connection;
    }
  }
}
