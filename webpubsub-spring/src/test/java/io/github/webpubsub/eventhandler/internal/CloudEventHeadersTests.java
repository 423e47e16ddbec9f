package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Percent-decoding of {@code ce-*} header values (CloudEvents HTTP binding) and the validation
 * handshake's edge cases.
 */
class CloudEventHeadersTests {

  private static final String MALFORMED =
      "Header ce-userId is not percent-encoded UTF-8 (CloudEvents HTTP binding)";

  @Test
  void valuesWithoutPercentSignsArriveAsTheyAre() {
    assertThat(CloudEventHeaders.decode("ce-userId", "alice~1")).isEqualTo("alice~1");
    // A header decoded by the web server as ISO-8859-1 is not percent-encoded: kept as is.
    assertThat(CloudEventHeaders.decode("ce-userId", "Jos\u00e9")).isEqualTo("Jos\u00e9");
  }

  @Test
  void anEscapeAtTheVeryEndIsDecoded() {
    assertThat(CloudEventHeaders.decode("ce-userId", "%41")).isEqualTo("A");
    assertThat(CloudEventHeaders.decode("ce-userId", "a~%41")).isEqualTo("a~A");
    assertThat(CloudEventHeaders.decode("ce-userId", "%e6%9d%8e")).isEqualTo("李");
  }

  @Test
  void truncatedEscapesAreMalformed() {
    for (String raw : List.of("%", "a%4", "%4")) {
      assertThatExceptionOfType(MalformedEventException.class)
          .as(raw)
          .isThrownBy(() -> CloudEventHeaders.decode("ce-userId", raw))
          .withMessage(MALFORMED);
    }
  }

  @Test
  void escapesThatAreNotTwoHexDigitsAreMalformed() {
    // "%G0" must not pass as the byte 0xF0, which would start a valid four-byte sequence here
    for (String raw : List.of("%G1", "%1G", "%-1", "%G0%9F%98%80")) {
      assertThatExceptionOfType(MalformedEventException.class)
          .as(raw)
          .isThrownBy(() -> CloudEventHeaders.decode("ce-userId", raw))
          .withMessage(MALFORMED);
    }
  }

  @Test
  void nonAsciiBesideAnEscapeIsMalformed() {
    assertThatExceptionOfType(MalformedEventException.class)
        .isThrownBy(() -> CloudEventHeaders.decode("ce-userId", "\u007f%41"))
        .withMessage(MALFORMED);
    assertThatExceptionOfType(MalformedEventException.class)
        .isThrownBy(() -> CloudEventHeaders.decode("ce-userId", "\u00e9%41"))
        .withMessage(MALFORMED);
  }

  @Test
  void escapedBytesThatAreNotUtf8AreMalformed() {
    assertThatExceptionOfType(MalformedEventException.class)
        .isThrownBy(() -> CloudEventHeaders.decode("ce-userId", "%C3%28"))
        .withMessage(MALFORMED);
  }

  @Test
  void onlyRepeatedCloudEventHeadersAreRefused() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("Accept", "a");
    headers.add("Accept", "b");
    headers.add("CE-Hub", "chat");
    CloudEventHeaders.requireSingleValues(headers);

    headers.add("CE-Hub", "other");
    assertThatExceptionOfType(MalformedEventException.class)
        .isThrownBy(() -> CloudEventHeaders.requireSingleValues(headers))
        .withMessage("Header CE-Hub appears more than once; CloudEvents attributes have one value");
  }

  @Test
  void anAbsentHeaderHasNoValue() {
    assertThat(CloudEventHeaders.value(new HttpHeaders(), "ce-userId")).isNull();
  }

  @Test
  void aBlankRequestOriginIsRefusedEvenWhenAnyOriginIsAllowed() {
    AbuseProtection any = new AbuseProtection(List.of(" * "));

    assertThat(any.allowedOrigin("  ", null)).isNull();
    assertThat(any.allowedOrigin(null, null)).isNull();
    assertThat(any.allowedOrigin("x.example.com", null)).isEqualTo("*");
  }

  @Test
  void originsGivenAsUrlsMatchByHostAndPort() {
    AbuseProtection protection =
        new AbuseProtection(List.of("https://partner.example.com:8443/events", " "));
    URI endpoint = URI.create("https://contoso.webpubsub.azure.com");

    assertThat(protection.allowedOrigin("https://PARTNER.example.com:8443", endpoint))
        .isEqualTo("partner.example.com:8443");
    assertThat(protection.allowedOrigin("partner.example.com", endpoint)).isNull();
    assertThat(protection.allowedOrigin(" , https://contoso.webpubsub.azure.com/", endpoint))
        .isEqualTo("contoso.webpubsub.azure.com");
  }
}
