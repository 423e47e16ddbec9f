package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbuseProtectionTests {

  private static final URI ENDPOINT = URI.create("http://localhost:8080");

  @Test
  void endpointHostWithOrWithoutPortIsAllowedCaseInsensitively() {
    AbuseProtection protection = new AbuseProtection(List.of());
    assertThat(protection.allowedOrigin("LOCALHOST", ENDPOINT)).isEqualTo("localhost");
    // Only the matched origin goes back, never the caller's raw text.
    assertThat(protection.allowedOrigin("evil\r\nX-Injected: 1, https://localhost/x", ENDPOINT))
        .isEqualTo("localhost");
    assertThat(protection.allowedOrigin("localhost:8080", ENDPOINT)).isEqualTo("localhost:8080");
  }

  @Test
  void anEndpointWithoutPortAllowsItsSchemesDefaultPortOnly() {
    AbuseProtection protection = new AbuseProtection(List.of());
    URI service = URI.create("https://demo.webpubsub.azure.com");
    assertThat(protection.allowedOrigin("demo.webpubsub.azure.com:443", service))
        .isEqualTo("demo.webpubsub.azure.com:443");
    assertThat(protection.allowedOrigin("demo.webpubsub.azure.com", service))
        .isEqualTo("demo.webpubsub.azure.com");
    assertThat(protection.allowedOrigin("demo.webpubsub.azure.com:-1", service)).isNull();
    assertThat(protection.allowedOrigin("demo.webpubsub.azure.com:80", service)).isNull();
    URI plain = URI.create("http://emulator.example");
    assertThat(protection.allowedOrigin("emulator.example:80", plain))
        .isEqualTo("emulator.example:80");
    assertThat(protection.allowedOrigin("emulator.example:443", plain)).isNull();
  }

  @Test
  void otherHostsAreNotAllowed() {
    AbuseProtection protection = new AbuseProtection(List.of("partner.example.com"));
    assertThat(protection.allowedOrigin("evil.example.com", ENDPOINT)).isNull();
    assertThat(protection.allowedOrigin("localhost:9090", ENDPOINT)).isNull();
    assertThat(protection.allowedOrigin(null, ENDPOINT)).isNull();
    assertThat(protection.allowedOrigin("", ENDPOINT)).isNull();
  }

  @Test
  void configuredOriginsMayBeUrls() {
    AbuseProtection protection = new AbuseProtection(List.of("https://Partner.example.com/"));
    assertThat(protection.allowedOrigin("partner.example.com", null))
        .isEqualTo("partner.example.com");
  }

  @Test
  void everythingUpToTheSchemeSeparatorAndFromTheFirstSlashIsDropped() {
    AbuseProtection protection = new AbuseProtection(List.of("/partner"));
    // "://host" at the very start still names the host
    assertThat(protection.allowedOrigin("://LOCALHOST:8080/x", ENDPOINT))
        .isEqualTo("localhost:8080");
    // a path without a host names no origin, so the configured "/partner" allows nothing
    assertThat(protection.allowedOrigin("/partner", ENDPOINT)).isNull();
  }

  @Test
  void wildcardAllowsAnyOriginAndAnswersWildcard() {
    AbuseProtection protection = new AbuseProtection(List.of("*"));
    assertThat(protection.allowedOrigin("anything.example.com", null)).isEqualTo("*");
  }
}
