package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

/** The template settings' checks (each failure names the setting and the rule) and normal forms. */
class TemplateSettingsTests {

  static final String KEY = "0123456789abcdef0123456789abcdef-settings";

  static final URI ENDPOINT = URI.create("https://contoso.webpubsub.azure.com");

  static final WebPubSubTokenProvider PROVIDER = () -> Mono.just("t");

  static final WebPubSubRetrySettings RETRY = WebPubSubRetrySettings.defaults();

  static TemplateSettings withKey(@Nullable URI endpoint, @Nullable URI proxy) {
    return TemplateSettings.check(
        endpoint, proxy, "chat", KEY, null, "2024-12-01", null, Duration.ofSeconds(5), RETRY, 100);
  }

  static TemplateSettings pageSize(int listPageSize) {
    return TemplateSettings.check(
        ENDPOINT,
        null,
        "chat",
        KEY,
        null,
        "2024-12-01",
        null,
        Duration.ofSeconds(5),
        RETRY,
        listPageSize);
  }

  static TemplateSettings timeouts(@Nullable Duration connect, @Nullable Duration response) {
    return TemplateSettings.check(
        ENDPOINT, null, "chat", KEY, null, "2024-12-01", connect, response, RETRY, 100);
  }

  static TemplateSettings apiVersion(@Nullable String apiVersion) {
    return TemplateSettings.check(
        ENDPOINT, null, "chat", KEY, null, apiVersion, null, Duration.ofSeconds(5), RETRY, 100);
  }

  @Test
  void checkedSettingsKeepEveryValue() {
    TemplateSettings settings =
        TemplateSettings.check(
            URI.create("HTTPS://Contoso.example:8443/"),
            URI.create("http://gateway.local/wps/"),
            "chat",
            null,
            PROVIDER,
            "2024-12-01",
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            RETRY,
            200);

    assertThat(settings.endpoint()).isEqualTo("https://Contoso.example:8443");
    assertThat(settings.reverseProxy()).isEqualTo("http://gateway.local/wps");
    assertThat(settings.hub()).isEqualTo("chat");
    assertThat(settings.accessKey()).isNull();
    assertThat(settings.tokenProvider()).isSameAs(PROVIDER);
    assertThat(settings.apiVersion()).isEqualTo("2024-12-01");
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.responseTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.retry()).isSameAs(RETRY);
    assertThat(settings.listPageSize()).isEqualTo(200);
    assertThat(settings.clientEndpoint()).isEqualTo("wss://Contoso.example:8443");
  }

  @Test
  void withoutReverseProxyOrConnectTimeoutBothStayUnset() {
    TemplateSettings settings = withKey(URI.create("http://localhost:8080"), null);

    assertThat(settings.reverseProxy()).isNull();
    assertThat(settings.connectTimeout()).isNull();
    assertThat(settings.accessKey()).isEqualTo(KEY);
    assertThat(settings.tokenProvider()).isNull();
    assertThat(settings.clientEndpoint()).isEqualTo("ws://localhost:8080");
  }

  @Test
  void requiredSettingsAreNamed() {
    assertThatIllegalStateException()
        .isThrownBy(() -> withKey(null, null))
        .withMessage("endpoint is required, e.g. https://<name>.webpubsub.azure.com");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                TemplateSettings.check(
                    ENDPOINT, null, null, KEY, null, "v", null, Duration.ofSeconds(5), RETRY, 1))
        .withMessage("hub is required");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                TemplateSettings.check(
                    ENDPOINT, null, "chat", null, null, "v", null, Duration.ofSeconds(5), RETRY, 1))
        .withMessage("accessKey or tokenProvider is required");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                TemplateSettings.check(
                    ENDPOINT,
                    null,
                    "chat",
                    KEY,
                    PROVIDER,
                    "v",
                    null,
                    Duration.ofSeconds(5),
                    RETRY,
                    1))
        .withMessage("set either accessKey or tokenProvider, not both");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                TemplateSettings.check(
                    ENDPOINT, null, "chat", KEY, null, "v", null, Duration.ofSeconds(5), null, 1))
        .withMessage("retry must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                TemplateSettings.check(
                    ENDPOINT, null, "9chat", KEY, null, "v", null, Duration.ofSeconds(5), RETRY, 1))
        .withMessageStartingWith("hub must start with a letter");
  }

  @Test
  void apiVersionMustNotBeBlank() {
    assertThat(apiVersion("2024-12-01").apiVersion()).isEqualTo("2024-12-01");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> apiVersion(null))
        .withMessage("apiVersion must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> apiVersion(" "))
        .withMessage("apiVersion must not be blank");
  }

  @Test
  void timeoutsMustBePositive() {
    assertThat(timeouts(Duration.ofMillis(1), Duration.ofMillis(1)).connectTimeout())
        .isEqualTo(Duration.ofMillis(1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> timeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .withMessage("connectTimeout must be positive but was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> timeouts(Duration.ofMillis(-1), Duration.ofSeconds(1)))
        .withMessage("connectTimeout must be positive but was PT-0.001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> timeouts(null, null))
        .withMessage("responseTimeout must be positive but was null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> timeouts(null, Duration.ZERO))
        .withMessage("responseTimeout must be positive but was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> timeouts(null, Duration.ofSeconds(-5)))
        .withMessage("responseTimeout must be positive but was PT-5S");
  }

  @Test
  void listPageSizeIsOneToTwoHundred() {
    assertThat(pageSize(1).listPageSize()).isEqualTo(1);
    assertThat(pageSize(200).listPageSize()).isEqualTo(200);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> pageSize(0))
        .withMessage("listPageSize must be between 1 and 200 but was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> pageSize(201))
        .withMessage("listPageSize must be between 1 and 200 but was 201");
  }

  @ParameterizedTest
  @CsvSource({
    "https://h.example, https://h.example",
    "HTTP://h.example:80/, http://h.example:80",
    "https://h.example///, https://h.example",
    "https://[::1]:8443, https://[::1]:8443"
  })
  void endpointIsSchemeAndAuthorityInLowerCaseSchemeWithoutTrailingSlash(
      String given, String normal) {
    assertThat(TemplateSettings.endpoint("endpoint", URI.create(given), false)).isEqualTo(normal);
  }

  @Test
  void aPathIsAllowedOnlyWhereSaid() {
    assertThat(TemplateSettings.endpoint("proxy", URI.create("https://gw/a%20b/c/"), true))
        .isEqualTo("https://gw/a%20b/c");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withKey(URI.create("https://h.example/api"), null))
        .withMessage(
            "endpoint must not have a path (http(s)://host[:port]) but was 'https://h.example/api'");
  }

  @Test
  void endpointsThatAreNoAbsoluteHttpUrlsAreNamed() {
    String rule = " must be an absolute http(s) URL such as https://<name>.webpubsub.azure.com";
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withKey(URI.create("contoso.example"), null))
        .withMessage("endpoint" + rule + " but was 'contoso.example'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withKey(URI.create("ws://contoso.example"), null))
        .withMessage("endpoint" + rule + " but was 'ws://contoso.example'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withKey(URI.create("https:///path"), null))
        .withMessage("endpoint" + rule + " but was 'https:///path'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> withKey(ENDPOINT, URI.create("gateway")))
        .withMessage("reverseProxyEndpoint" + rule + " but was 'gateway'");
  }

  @Test
  void userInfoQueryAndFragmentAreRefused() {
    String rule = "endpoint must not have user info, a query or a fragment but was '";
    for (String endpoint :
        new String[] {"https://h.example?x=1", "https://h.example#top", "https://me@h.example"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> withKey(URI.create(endpoint), null))
          .withMessage(rule + endpoint + "'");
    }
  }

  @Test
  void toStringNamesTheCredentialKindNeverTheKey() {
    assertThat(withKey(ENDPOINT, null))
        .hasToString(
            "TemplateSettings[endpoint=https://contoso.webpubsub.azure.com, hub=chat,"
                + " credential=access key (redacted)]");
    assertThat(
            TemplateSettings.check(
                ENDPOINT, null, "chat", null, PROVIDER, "v", null, Duration.ofSeconds(5), RETRY, 1))
        .hasToString(
            "TemplateSettings[endpoint=https://contoso.webpubsub.azure.com, hub=chat,"
                + " credential=token provider]");
  }
}
