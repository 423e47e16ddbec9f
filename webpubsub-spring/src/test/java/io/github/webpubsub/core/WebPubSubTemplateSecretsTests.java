package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;

/** The access key, and the tokens it signs, never show in toString(), exceptions or logs. */
@ExtendWith(OutputCaptureExtension.class)
class WebPubSubTemplateSecretsTests {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String[] VERBOSE_LOGGERS = {
    "io.github.webpubsub",
    "org.springframework.web.reactive.function.client",
    "org.springframework.http",
    "reactor.netty"
  };

  /** The builder every test starts from; subclasses run the same tests on another transport. */
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(WebClient.builder());
  }

  @BeforeEach
  void logEverything() {
    for (String name : VERBOSE_LOGGERS) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.TRACE);
    }
  }

  @AfterEach
  void restoreLogging() {
    for (String name : VERBOSE_LOGGERS) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
    }
  }

  @Test
  void toStringOfBuilderTemplateAndSettingsNeverShowsTheKey() {
    WebPubSubTemplate.Builder builder =
        newBuilder().endpoint(URI.create(wm.baseUrl())).hub("chat").accessKey(TestTokens.KEY);
    WebPubSubTemplate template = builder.build();

    assertThat(builder.toString()).doesNotContain(TestTokens.KEY).contains("accessKey=<redacted>");
    assertThat(template.toString())
        .doesNotContain(TestTokens.KEY)
        .contains("credential=access key");
    assertThat(template.forHub("other").toString()).doesNotContain(TestTokens.KEY);
    assertThat(WebPubSubRetrySettings.defaults().toString()).doesNotContain(TestTokens.KEY);
  }

  @Test
  void failingCallAfterRetriesNeverShowsTheKeyOrTheTokenInExceptionOrLogs(CapturedOutput output) {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("x-ms-request-id", "r1")
                    .withBody("{\"code\":\"Unavailable\",\"message\":\"try later\"}")));
    WebPubSubTemplate template =
        newBuilder()
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .retry(new WebPubSubRetrySettings(2, Duration.ofMillis(5), Duration.ofMillis(10), true))
            .build();

    Throwable failure =
        catchThrowable(() -> template.sendToAll("hello").block(Duration.ofSeconds(60)));

    String token = TestTokens.bearer(wm.getAllServeEvents().get(0).getRequest());
    assertThat(wm.getAllServeEvents()).hasSize(3);
    assertThat(failure).isInstanceOf(WebPubSubException.class);
    String everything = stackTrace(failure) + output.getAll();
    assertThat(output.getAll()).contains("Retrying sendToAll on hub 'chat'");
    assertThat(everything).doesNotContain(TestTokens.KEY).doesNotContain(token);
  }

  @Test
  void unreachableServiceNeverShowsTheKeyOrTheTokenInExceptionOrLogs(CapturedOutput output) {
    WebPubSubTemplate template =
        newBuilder()
            .endpoint(URI.create("http://127.0.0.1:1"))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .retry(
                new WebPubSubRetrySettings(1, Duration.ofMillis(5), Duration.ofMillis(10), false))
            .build();

    Throwable failure =
        catchThrowable(() -> template.groupExists("g1").block(Duration.ofSeconds(60)));

    assertThat(failure).isInstanceOf(WebPubSubException.class);
    assertThat(output.getAll()).contains("Retrying groupExists on hub 'chat'");
    assertThat(stackTrace(failure) + output.getAll())
        .doesNotContain(TestTokens.KEY)
        .doesNotContain("Bearer ey");
  }

  private static String stackTrace(Throwable failure) {
    StringWriter writer = new StringWriter();
    failure.printStackTrace(new PrintWriter(writer));
    return writer.toString();
  }
}
