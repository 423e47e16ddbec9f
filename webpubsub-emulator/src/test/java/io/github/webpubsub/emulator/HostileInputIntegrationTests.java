package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input an attacker or a broken client sends: each is answered with a status, an error ack or a
 * clean close, never a dropped connection with a stack trace in the log.
 */
class HostileInputIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private static final BigInteger UINT64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    this.clients.forEach(TestClient::close);
  }

  private static TestJwt key() {
    return new TestJwt(emulator.getEmulator().getAccessKey());
  }

  private static int port() {
    return emulator.getEmulator().getPort();
  }

  private static String signedPost(String pathAndQuery, String body) {
    String token = RestClient.token(key(), "http://localhost:" + port() + pathAndQuery, 3600);
    return RawHttp.exchange(
        port(),
        "POST "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: localhost:"
            + port()
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  private static void assertNoStackTraceAndAtMostOneLinePerRequest(LogCapture log, int requests) {
    assertThat(log.lines()).noneMatch((line) -> line.contains("[stack trace]"));
    assertThat(log.lines()).hasSizeLessThanOrEqualTo(requests);
  }

  @Test
  void restPathOrQueryWithMalformedEscapeIs400() {
    try (LogCapture log = new LogCapture()) {
      String badHub = signedPost("/api/hubs/h%zz/:send", "x");
      String loneEscape = RawHttp.get(port(), "/api/hubs/h%/users/u");
      String badFilter = signedPost("/api/hubs/h/:send?filter=%zz", "x");
      String badSegment = signedPost("/api/hubs/h/users/u%/:send", "x");
      assertThat(List.of(badHub, loneEscape, badFilter, badSegment))
          .allSatisfy(
              (response) -> {
                assertThat(RawHttp.status(response)).isEqualTo(400);
                assertThat(response).contains("Error.BadRequest").contains("percent-encoding");
              });
      assertNoStackTraceAndAtMostOneLinePerRequest(log, 4);
    }
  }

  @Test
  void clientPathOrQueryWithMalformedEscapeIs400() {
    try (LogCapture log = new LogCapture()) {
      String token = key().clientToken(clientUrl("h"), "u", List.of(), List.of(), 60);
      List<String> responses =
          List.of(
              RawHttp.get(port(), "/client/hubs/h%zz?access_token=" + token),
              RawHttp.get(port(), "/client/hubs/%"),
              RawHttp.get(port(), "/client/hubs/h?access_token=" + token + "&q=%zz"),
              RawHttp.get(port(), "/client/hubs/h?awps_connection_id=%"));
      assertThat(responses)
          .allSatisfy((response) -> assertThat(RawHttp.status(response)).isEqualTo(400));
      assertNoStackTraceAndAtMostOneLinePerRequest(log, 4);
    }
  }

  @Test
  void plainRequestToTheClientEndpointIs400EvenWithAValidToken() {
    String token = key().clientToken(clientUrl("h"), "u", List.of(), List.of(), 60);
    String response = RawHttp.get(port(), "/client/hubs/h?access_token=" + token);
    assertThat(RawHttp.status(response)).isEqualTo(400);
    assertThat(response).contains("WebSocket upgrade");
    String recovery =
        RawHttp.get(port(), "/client/hubs/h?awps_connection_id=a&awps_reconnection_token=b");
    assertThat(RawHttp.status(recovery)).isEqualTo(400);
  }

  private static String clientUrl(String hub) {
    return "http://localhost:" + port() + "/client/hubs/" + hub;
  }

  private static String token(String aud, Object exp, Object nbf) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", aud);
    claims.put("exp", exp);
    if (nbf != null) {
      claims.put("nbf", nbf);
    }
    return key().sign(claims);
  }

  @Test
  void tokenWithExpOrNbfBeyond64BitsIs401() {
    long now = Instant.now().getEpochSecond();
    List<Object[]> dates =
        List.of(
            new Object[] {BigInteger.TWO.pow(64), null},
            new Object[] {BigInteger.TWO.pow(63), null},
            new Object[] {1e300, null},
            new Object[] {now + 3600, BigInteger.TWO.pow(64)},
            new Object[] {now + 3600, BigInteger.TWO.pow(64).negate()});
    try (LogCapture log = new LogCapture()) {
      RestClient rest = new RestClient(emulator.getEmulator());
      String path = "/api/hubs/h/users/u";
      for (Object[] date : dates) {
        String restToken = token(rest.base() + path, date[0], date[1]);
        assertThat(rest.call(HttpMethod.HEAD, path, restToken, null, null).status()).isEqualTo(401);
        String clientToken = token(clientUrl("h"), date[0], date[1]);
        assertThat(
                TestClient.upgradeStatus(
                    URI.create(
                        clientUrl("h").replace("http", "ws") + "?access_token=" + clientToken),
                    null))
            .isEqualTo(401);
      }
      assertNoStackTraceAndAtMostOneLinePerRequest(log, 2 * dates.size());
    }
  }

  @Test
  void tokenWithCritPaddedSignatureOrNonNumericNbfIs401() {
    RestClient rest = new RestClient(emulator.getEmulator());
    String path = "/api/hubs/h/users/u";
    long exp = Instant.now().getEpochSecond() + 3600;
    Map<String, Object> claims = Map.of("aud", rest.base() + path, "exp", exp);
    String valid = key().sign(claims);
    assertThat(valid.substring(valid.lastIndexOf('.') + 1)).hasSize(43);
    List<String> refused =
        List.of(
            key().sign("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims),
            key().sign("{\"alg\":\"HS256\",\"crit\":[]}", claims),
            valid + "=",
            key().sign(Map.of("aud", rest.base() + path, "exp", exp, "nbf", "yesterday")),
            key().sign(Map.of("aud", rest.base() + path, "exp", exp, "nbf", true)),
            key().sign(Map.of("aud", rest.base() + path, "exp", String.valueOf(exp))));
    assertThat(rest.call(HttpMethod.HEAD, path, valid, null, null).status()).isEqualTo(404);
    for (String token : refused) {
      RestClient.Answer answer = rest.call(HttpMethod.GET, path, token, null, null);
      assertThat(answer.status()).as(token).isEqualTo(401);
    }
    String clientToken =
        key()
            .sign(
                "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
                Map.of("aud", clientUrl("h"), "exp", exp));
    assertThat(
            TestClient.upgradeStatus(
                URI.create(clientUrl("h").replace("http", "ws") + "?access_token=" + clientToken),
                null))
        .isEqualTo(401);
  }

  private TestClient connect(String protocol) {
    String token =
        key()
            .clientToken(
                clientUrl("acks"), "u", List.of("webpubsub.joinLeaveGroup"), List.of(), 60);
    TestClient client =
        TestClient.connect(
            URI.create(clientUrl("acks").replace("http", "ws") + "?access_token=" + token),
            protocol);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    return client;
  }

  @Test
  void reliableClientsAckIdAndSequenceIdOfTwoToThe64MinusOneAreValid() {
    TestClient client = connect(TestClient.RELIABLE_PROTOCOL);
    client.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":" + UINT64_MAX + "}");
    client.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":" + UINT64_MAX + "}");
    client.send("{\"type\":\"sequenceAck\",\"sequenceId\":" + UINT64_MAX + "}");
    client.send("{\"type\":\"ping\"}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
    assertThat(client.texts().get(1))
        .isEqualTo("{\"type\":\"ack\",\"ackId\":" + UINT64_MAX + ",\"success\":true}");
    assertThat(client.json().get(2).get("ackId").bigIntegerValue()).isEqualTo(UINT64_MAX);
    assertThat(client.json().get(2).get("error").get("name").asString()).isEqualTo("Duplicate");
    assertThat(client.json().get(3).get("type").asString()).isEqualTo("pong");
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void ackIdOutsideTheUint64RangeIsAckedBadRequest() {
    TestClient client = connect(TestClient.JSON_PROTOCOL);
    client.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":" + UINT64_MAX + "}");
    client.send(
        "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":" + BigInteger.TWO.pow(64) + "}");
    client.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":-1}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
    assertThat(client.json().get(1).get("success").asBoolean()).isTrue();
    assertThat(client.json().get(2).get("error").get("name").asString()).isEqualTo("BadRequest");
    assertThat(client.json().get(3).get("error").get("name").asString()).isEqualTo("BadRequest");
    assertThat(client.isClosed()).isFalse();
  }
}
