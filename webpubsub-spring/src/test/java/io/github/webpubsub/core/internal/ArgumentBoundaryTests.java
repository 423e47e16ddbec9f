package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.webpubsub.core.WebPubSubContentType;
import io.github.webpubsub.core.WebPubSubJsonSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limits of the arguments, on both sides of each: the shortest access key, the longest group
 * name, the largest message, and the characters URL encoding keeps as they are.
 */
class ArgumentBoundaryTests {

  static final int MIB = 1024 * 1024;

  final JsonMapper mapper = JsonMapper.builder().build();

  final WebPubSubJsonSerializer json = this.mapper::writeValueAsBytes;

  // ---- access key: at least 32 UTF-8 bytes ----

  @Test
  void accessKeyOfExactly32BytesIsAcceptedAndSignsTokens() {
    String key = "k".repeat(32);

    assertThat(Arguments.accessKey("accessKey", key)).isSameAs(key);
    AccessKeySigner signer = new AccessKeySigner(key, Clock.fixed(Instant.now(), ZoneOffset.UTC));
    Jwt jwt = decoder(key).decode(signer.requestToken("http://h/api/hubs/chat/:send"));
    assertThat(jwt.getAudience()).containsExactly("http://h/api/hubs/chat/:send");
  }

  @Test
  void accessKeyOf31BytesIsRefusedNamingTheCountNotTheKey() {
    String key = "SECRET".repeat(5) + "x";

    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.accessKey("accessKey", key))
        .withMessage(
            "accessKey is too short to sign HS256 tokens: it has 31 bytes, at least 32 are needed")
        .withMessageNotContaining(key);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new AccessKeySigner(key, Clock.systemUTC()))
        .withMessageContaining("has 31 bytes");
  }

  @Test
  void accessKeyLengthCountsUtf8BytesNotCharacters() {
    // 16 characters of 2 bytes each: 32 bytes, enough; 15 of them and one ASCII letter: 31.
    assertThat(Arguments.accessKey("key", "é".repeat(16))).hasSize(16);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.accessKey("key", "é".repeat(15) + "x"))
        .withMessageContaining("it has 31 bytes");
  }

  // ---- group names: 1 to 1024 characters ----

  @Test
  void groupNameOfExactly1024CharactersIsAccepted() {
    String group = "g".repeat(Arguments.MAX_GROUP_LENGTH);

    assertThat(Arguments.group("group", group)).isSameAs(group).hasSize(1024);
    assertThat(Arguments.groups("groups", List.of("a", group))).containsExactly("a", group);
  }

  @Test
  void groupNameOf1025CharactersIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.group("group", "g".repeat(1025)))
        .withMessage("group must have 1 to 1024 characters but has 1025");
  }

  @Test
  void groupNameOfOneCharacterIsAcceptedAndAnEmptyOneRefused() {
    assertThat(Arguments.group("group", "g")).isEqualTo("g");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.group("group", ""))
        .withMessage("group must have 1 to 1024 characters but has 0");
  }

  @Test
  void dotSegmentsAreRefusedButNamesContainingDotsAreNot() {
    assertThat(Arguments.group("group", "...")).isEqualTo("...");
    assertThat(Arguments.id("userId", ".a")).isEqualTo(".a");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.id("userId", ".."))
        .withMessage("userId must not be '.' or '..' (they are path navigation, not names)");
  }

  @Test
  void eachIdOfAListIsChecked() {
    Arguments.ids("excluded", List.of("c1", "c2"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.ids("excluded", List.of("c1", "")))
        .withMessage("excluded element must not be empty");
  }

  @Test
  void anOptionalTextMayBeAbsentButNotBlank() {
    assertThat(Arguments.optionalNotBlank("reason", null)).isNull();
    assertThat(Arguments.optionalNotBlank("reason", " x ")).isEqualTo(" x ");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Arguments.optionalNotBlank("reason", "\t"))
        .withMessage("reason must not be blank when given");
  }

  // ---- messages: at most 1 MiB after serialization ----

  @Test
  void binaryMessageOfExactly1MiBIsAccepted() {
    byte[] message = new byte[MIB];
    message[MIB - 1] = 7;

    MessageBody body = MessageBody.of(message, null, this.json);

    assertThat(body.bytes()).hasSize(MIB).isEqualTo(message).isNotSameAs(message);
    assertThat(body.contentType()).isEqualTo(WebPubSubContentType.BINARY);
  }

  @Test
  void binaryMessageOneByteOver1MiBIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageBody.of(new byte[MIB + 1], null, this.json))
        .withMessage(
            "message must not exceed 1048576 bytes (1 MiB) after serialization but has 1048577");
  }

  @Test
  void textIsMeasuredInUtf8Bytes() {
    // 524,288 two-byte characters are exactly 1 MiB; one more ASCII letter is over.
    String exactly = "é".repeat(MIB / 2);

    MessageBody body = MessageBody.of(exactly, null, this.json);

    assertThat(body.bytes()).hasSize(MIB);
    assertThat(body.contentType()).isEqualTo(WebPubSubContentType.TEXT);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageBody.of(exactly + "x", null, this.json))
        .withMessageEndingWith("but has 1048577");
  }

  @Test
  void jsonIsMeasuredAfterSerialization() {
    MessageBody body = MessageBody.of(Map.of("k", "v"), null, this.json);
    assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"v\"}");
    assertThat(body.contentType()).isEqualTo(WebPubSubContentType.JSON);

    record Text(String t) {}
    int overhead = "{\"t\":\"\"}".length();
    assertThat(MessageBody.of(new Text("x".repeat(MIB - overhead)), null, this.json).bytes())
        .hasSize(MIB);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageBody.of(new Text("x".repeat(MIB - overhead + 1)), null, this.json))
        .withMessageEndingWith("but has 1048577");
  }

  @Test
  void byteBufferIsReadFromItsPositionWithoutMovingIt() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    buffer.position(1);

    MessageBody body = MessageBody.of(buffer, null, this.json);

    assertThat(body.bytes()).containsExactly(2, 3, 4);
    assertThat(body.contentType()).isEqualTo(WebPubSubContentType.BINARY);
    assertThat(buffer.position()).isEqualTo(1);
  }

  @Test
  void dataBufferOfExactly1MiBIsAcceptedAndReleased() {
    DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(MIB);
    buffer.write(new byte[MIB]);

    MessageBody body = MessageBody.of(buffer, null, this.json);

    assertThat(body.bytes()).hasSize(MIB);
    assertThat(body.contentType()).isEqualTo(WebPubSubContentType.BINARY);
  }

  @Test
  void anExplicitContentTypeReplacesTheInferredOne() {
    assertThat(MessageBody.of("{}", WebPubSubContentType.JSON, this.json).contentType())
        .isEqualTo(WebPubSubContentType.JSON);
    assertThat(MessageBody.of(new byte[] {1}, WebPubSubContentType.TEXT, this.json).contentType())
        .isEqualTo(WebPubSubContentType.TEXT);
  }

  @Test
  void aNullMessageIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageBody.of(null, null, this.json))
        .withMessage("message must not be null");
  }

  // ---- URL encoding: unreserved characters stay as they are ----

  @Test
  void lettersAndDigitsAtTheEndsOfTheirRangesAreKept() {
    for (String kept : List.of("A", "Z", "a", "z", "0", "9", "AZaz09")) {
      assertThat(UrlEncoding.pathSegment(kept)).isEqualTo(kept);
      assertThat(UrlEncoding.queryParameter(kept)).isEqualTo(kept);
    }
  }

  @Test
  void charactersJustOutsideThoseRangesAreEscaped() {
    // '/' (before '0'), ';' (after ':'), '[' (after 'Z'), '`' (before 'a'), '{' (after 'z'), DEL.
    assertThat(UrlEncoding.pathSegment("/;[`{\u007f")).isEqualTo("%2F%3B%5B%60%7B%7F");
    // ':' and '@' are allowed in a path segment, '/' and '?' only in a query.
    assertThat(UrlEncoding.pathSegment(":@")).isEqualTo(":@");
    assertThat(UrlEncoding.queryParameter("/?")).isEqualTo("/?");
  }

  @Test
  void bytesOfMultiByteCharactersAreEscapedInUpperCaseHex() {
    assertThat(UrlEncoding.pathSegment("\u00ff\u20ac")).isEqualTo("%C3%BF%E2%82%AC");
    assertThat(UrlEncoding.queryParameter("\u0001")).isEqualTo("%01");
  }

  private static NimbusJwtDecoder decoder(String key) {
    return NimbusJwtDecoder.withSecretKey(
            new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build();
  }
}
