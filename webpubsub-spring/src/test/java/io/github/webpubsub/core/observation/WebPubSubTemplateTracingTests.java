package io.github.webpubsub.core.observation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * With tracing present, the template's observation is a sender: its trace headers go out with the
 * request on both transports, once.
 */
class WebPubSubTemplateTracingTests {

  private static final String KEY = "tracing-test-key-0123456789-ABCDEFGHIJKLMNOPQRSTU";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final SimpleTracer tracer = new SimpleTracer();

  private final ObservationRegistry registry = ObservationRegistry.create();

  WebPubSubTemplateTracingTests() {
    this.registry
        .observationConfig()
        .observationHandler(
            new PropagatingSenderTracingObservationHandler<>(this.tracer, new TraceParent()));
  }

  @Test
  void reactorNettyTransportSendsTheOperationsTraceparent() {
    send(WebPubSubTemplate.builder(HttpClient.create()));

    SimpleSpan span = this.tracer.onlySpan();
    assertThat(span.getName()).isEqualTo("webpubsub sendToGroup");
    assertThat(span.getKind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(span.getRemoteServiceName()).isEqualTo("webpubsub");
    assertThat(onlyRequest().getHeaders().getHeader("traceparent").values())
        .containsExactly("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
  }

  @Test
  void webClientTransportWithoutItsOwnObservationSendsTheOperationsTraceparent() {
    send(WebPubSubTemplate.builder(WebClient.builder()));

    SimpleSpan span = this.tracer.onlySpan();
    assertThat(onlyRequest().getHeaders().getHeader("traceparent").values())
        .containsExactly("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
  }

  @Test
  void webClientTransportWithItsOwnObservationSendsOneTraceparentOfTheSameTrace() {
    send(WebPubSubTemplate.builder(WebClient.builder().observationRegistry(this.registry)));

    List<SimpleSpan> spans = List.copyOf(this.tracer.getSpans());
    assertThat(spans).hasSize(2);
    SimpleSpan operation =
        spans.stream().filter(s -> s.getName().equals("webpubsub sendToGroup")).findFirst().get();
    SimpleSpan attempt = spans.stream().filter(s -> s != operation).findFirst().get();
    assertThat(attempt.getTraceId()).isEqualTo(operation.getTraceId());
    assertThat(attempt.getParentId()).isEqualTo(operation.getSpanId());
    assertThat(onlyRequest().getHeaders().getHeader("traceparent").values())
        .containsExactly("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01");
  }

  private void send(WebPubSubTemplate.Builder builder) {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    builder
        .endpoint(URI.create(wm.baseUrl()))
        .hub("chat")
        .accessKey(KEY)
        .retry(WebPubSubRetrySettings.none())
        .observationRegistry(this.registry)
        .build()
        .sendToGroup("room", "hello")
        .block(Duration.ofSeconds(30));
  }

  private static LoggedRequest onlyRequest() {
    assertThat(wm.getAllServeEvents()).hasSize(1);
    return wm.getAllServeEvents().get(0).getRequest();
  }

  /** W3C trace context, written as the real propagators write it. */
  private static final class TraceParent implements Propagator {

    @Override
    public List<String> fields() {
      return List.of("traceparent");
    }

    @Override
    public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
      setter.set(
          carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
    }

    @Override
    public <C> Span.Builder extract(C carrier, Getter<C> getter) {
      throw new UnsupportedOperationException("senders only");
    }
  }
}
