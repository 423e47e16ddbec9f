package io.github.webpubsub.core.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import io.micrometer.common.KeyValue;
import io.micrometer.common.docs.KeyName;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Key values of the default convention for each state an operation can end in. */
class DefaultWebPubSubObservationConventionTests {

  private final DefaultWebPubSubObservationConvention convention =
      DefaultWebPubSubObservationConvention.INSTANCE;

  /** The endpoint of one template: the same instance on every send. */
  private static final URI ENDPOINT = URI.create("https://contoso.webpubsub.azure.com");

  private static WebPubSubObservationContext context() {
    return new WebPubSubObservationContext("sendToGroup", "chat", "g1", null, null, 5, ENDPOINT);
  }

  private KeyValue low(WebPubSubObservationContext context, String key) {
    return this.convention.getLowCardinalityKeyValues(context).stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void nameAndContextualNameShouldNameTheOperation() {
    assertThat(this.convention.getName()).isEqualTo("webpubsub.client.requests");
    assertThat(this.convention.getContextualName(context())).isEqualTo("webpubsub sendToGroup");
  }

  @Test
  void operationInFlightShouldHaveNoStatusYet() {
    WebPubSubObservationContext context = context();

    assertThat(this.convention.getLowCardinalityKeyValues(context))
        .containsExactly(
            KeyValue.of("exception", "none"),
            KeyValue.of("messaging.operation.name", "sendToGroup"),
            KeyValue.of("messaging.system", "webpubsub"),
            KeyValue.of("outcome", "UNKNOWN"),
            KeyValue.of("server.address", "contoso.webpubsub.azure.com"),
            KeyValue.of("server.port", "443"),
            KeyValue.of("status", "NONE"),
            KeyValue.of("webpubsub.hub", "chat"));
    assertThat(this.convention.getHighCardinalityKeyValues(context))
        .containsExactly(
            KeyValue.of("webpubsub.attempts", "1"), KeyValue.of("webpubsub.group", "g1"));
  }

  @Test
  void serviceWideOperationShouldHaveHubNone() {
    WebPubSubObservationContext context =
        new WebPubSubObservationContext("getServiceStatus", null, null, null, null, -1);

    assertThat(low(context, "webpubsub.hub").getValue()).isEqualTo("none");
    assertThat(context.hasPayload()).isFalse();
  }

  @Test
  void answerShouldGiveStatusAndOutcomeFromItsClass() {
    WebPubSubObservationContext context = context();
    context.setStatusCode(503);
    context.setFailure(new WebPubSubResponseException("x", 503, null, null));

    assertThat(low(context, "status").getValue()).isEqualTo("503");
    assertThat(low(context, "outcome").getValue()).isEqualTo("SERVER_ERROR");
    assertThat(low(context, "exception").getValue()).isEqualTo("WebPubSubResponseException");
  }

  @Test
  void noAnswerShouldBeAnIoErrorNamedAfterItsCause() {
    WebPubSubObservationContext context = context();
    context.setNoAnswer(true);
    context.setFailure(new WebPubSubRequestException("x", new TimeoutException()));

    assertThat(low(context, "status").getValue()).isEqualTo("IO_ERROR");
    assertThat(low(context, "outcome").getValue()).isEqualTo("UNKNOWN");
    assertThat(low(context, "exception").getValue()).isEqualTo("TimeoutException");
  }

  @Test
  void failureBeforeAnyRequestShouldBeAClientError() {
    WebPubSubObservationContext context = context();
    context.setError(new IllegalStateException("no token"));

    assertThat(low(context, "status").getValue()).isEqualTo("CLIENT_ERROR");
    assertThat(low(context, "exception").getValue()).isEqualTo("IllegalStateException");
  }

  @Test
  void anonymousExceptionClassShouldBeNamedByItsFullName() {
    WebPubSubObservationContext context = context();
    RuntimeException anonymous = new RuntimeException() {};
    context.setFailure(anonymous);

    assertThat(low(context, "exception").getValue()).isEqualTo(anonymous.getClass().getName());
  }

  @Test
  void retriesShouldShowInTheAttemptsKeyValue() {
    WebPubSubObservationContext context =
        new WebPubSubObservationContext("closeConnection", "chat", null, "u1", "c1", -1);
    context.setAttempts(3);

    assertThat(this.convention.getHighCardinalityKeyValues(context))
        .containsExactly(
            KeyValue.of("webpubsub.attempts", "3"),
            KeyValue.of("webpubsub.connection.id", "c1"),
            KeyValue.of("webpubsub.user.id", "u1"));
  }

  @Test
  void documentationShouldListExactlyTheKeysTheConventionProduces() {
    WebPubSubObservationContext context =
        new WebPubSubObservationContext("addUserToGroup", "chat", "g1", "u1", "c1", -1);

    assertThat(WebPubSubObservationDocumentation.CLIENT_REQUESTS.getDefaultConvention())
        .isEqualTo(DefaultWebPubSubObservationConvention.class);
    assertThat(this.convention.getLowCardinalityKeyValues(context).stream().map(KeyValue::getKey))
        .containsExactlyInAnyOrder(
            Arrays.stream(
                    WebPubSubObservationDocumentation.CLIENT_REQUESTS.getLowCardinalityKeyNames())
                .map(KeyName::asString)
                .toArray(String[]::new));
    assertThat(this.convention.getHighCardinalityKeyValues(context).stream().map(KeyValue::getKey))
        .containsExactlyInAnyOrder(
            Arrays.stream(
                    WebPubSubObservationDocumentation.CLIENT_REQUESTS.getHighCardinalityKeyNames())
                .map(KeyName::asString)
                .toArray(String[]::new));
    assertThat(WebPubSubObservationDocumentation.CLIENT_REQUESTS.getEvents())
        .extracting(event -> event.getName())
        .containsExactly("retry");
  }

  @Test
  void keyValuesOfAnsweredOperationsShouldBeMadeOnceAndFollowEachFieldTheyDependOn() {
    DefaultWebPubSubObservationConvention fresh = new DefaultWebPubSubObservationConvention();
    WebPubSubObservationContext first = context();
    first.setStatusCode(202);
    WebPubSubObservationContext second = context();
    second.setStatusCode(202);
    WebPubSubObservationContext otherStatus = context();
    otherStatus.setStatusCode(404);
    WebPubSubObservationContext otherHub =
        new WebPubSubObservationContext(
            "sendToGroup",
            "news",
            "g1",
            null,
            null,
            5,
            URI.create("https://contoso.webpubsub.azure.com"));
    otherHub.setStatusCode(202);
    WebPubSubObservationContext otherEndpoint =
        new WebPubSubObservationContext(
            "sendToGroup", "chat", "g1", null, null, 5, URI.create("http://localhost:8080"));
    otherEndpoint.setStatusCode(202);

    WebPubSubObservationContext equalEndpoint =
        new WebPubSubObservationContext(
            "sendToGroup",
            "chat",
            "g1",
            null,
            null,
            5,
            URI.create("https://contoso.webpubsub.azure.com"));
    equalEndpoint.setStatusCode(202);

    assertThat(fresh.getLowCardinalityKeyValues(second))
        .isSameAs(fresh.getLowCardinalityKeyValues(first));
    assertThat(fresh.getLowCardinalityKeyValues(equalEndpoint))
        .as("another template's equal endpoint: the same values")
        .isEqualTo(fresh.getLowCardinalityKeyValues(first));
    assertThat(fresh.getLowCardinalityKeyValues(otherStatus))
        .contains(KeyValue.of("status", "404"), KeyValue.of("outcome", "CLIENT_ERROR"));
    assertThat(fresh.getLowCardinalityKeyValues(otherHub))
        .contains(KeyValue.of("webpubsub.hub", "news"));
    assertThat(fresh.getLowCardinalityKeyValues(otherEndpoint))
        .contains(KeyValue.of("server.address", "localhost"), KeyValue.of("server.port", "8080"));
    assertThat(fresh.getLowCardinalityKeyValues(first))
        .contains(KeyValue.of("status", "202"), KeyValue.of("webpubsub.hub", "chat"));
  }

  @Test
  void failedOperationsAndSubclassesShouldComputeTheirKeyValuesEveryTime() {
    WebPubSubObservationContext failed = context();
    failed.setStatusCode(202);
    failed.setFailure(new IllegalStateException("boom"));
    assertThat(this.convention.getLowCardinalityKeyValues(failed))
        .contains(KeyValue.of("exception", "IllegalStateException"));

    DefaultWebPubSubObservationConvention subclass =
        new DefaultWebPubSubObservationConvention() {
          private int calls;

          @Override
          protected KeyValue status(WebPubSubObservationContext context) {
            return KeyValue.of("status", "call-" + (++this.calls));
          }
        };
    WebPubSubObservationContext answered = context();
    answered.setStatusCode(202);
    assertThat(subclass.getLowCardinalityKeyValues(answered))
        .contains(KeyValue.of("status", "call-1"));
    assertThat(subclass.getLowCardinalityKeyValues(answered))
        .contains(KeyValue.of("status", "call-2"));
  }

  @Test
  void outgoingHeadersShouldBeMadeOnlyWhenAskedFor() {
    WebPubSubObservationContext context = context();
    context.getSetter().set(context.getCarrier(), "traceparent", "00-abc-def-01");

    assertThat(context.getCarrier().getFirst("traceparent")).isEqualTo("00-abc-def-01");
  }
}
