package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.webpubsub.eventhandler.WebPubSubConnectEvent;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubConnectResponse;
import io.github.webpubsub.eventhandler.WebPubSubConnectedEvent;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedEvent;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedRequest;
import io.github.webpubsub.eventhandler.WebPubSubEvent;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.WebPubSubGroupJoinedEvent;
import io.github.webpubsub.eventhandler.WebPubSubGroupLeftEvent;
import io.github.webpubsub.eventhandler.WebPubSubUserEvent;
import io.micrometer.observation.ObservationRegistry;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the core answers for each kind of event, what reaches the listener and which application
 * event is published: the request as the service sends it, the answer as the service reads it.
 */
class EventHandlerDispatchTests {

  private static final String KEY = "dispatch-test-access-key";

  private static final String CONNECTION_ID = "conn1";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<Object> published = new ArrayList<>();

  private final ListenerRegistry registry = new ListenerRegistry();

  private final Listeners listeners = new Listeners();

  private EventHandlerCore core(List<String> hubs) {
    return new EventHandlerCore(
        this.registry,
        () -> List.of(KEY),
        () -> URI.create("https://contoso.webpubsub.azure.com"),
        List.of(),
        hubs,
        1024,
        JSON,
        this.published::add,
        () -> ObservationRegistry.NOOP,
        null);
  }

  private EventHandlerResponse handle(EventHandlerRequest request) {
    return core(List.of()).handle(request).block();
  }

  private void listen(WebPubSubEventType type, String eventName, String hub, String method)
      throws Exception {
    Method found = null;
    for (Method candidate : Listeners.class.getDeclaredMethods()) {
      if (candidate.getName().equals(method)) {
        found = candidate;
      }
    }
    this.registry.register(new ListenerMethod(type, eventName, hub, () -> this.listeners, found));
  }

  // ---- connect ----

  @Test
  void connectWithoutAListenerIsAccepted204AndPublished() {
    EventHandlerResponse response =
        handle(post("azure.webpubsub.sys.connect", "{\"claims\":{\"sub\":[\"alice\"]}}"));

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(this.published).singleElement().isInstanceOf(WebPubSubConnectEvent.class);
    WebPubSubConnectEvent event = (WebPubSubConnectEvent) this.published.get(0);
    assertThat(event.getRequest().claim("sub")).isEqualTo("alice");
    assertThat(event.getResponse().getUserId()).isNull();
    assertThat(event.getContext().getEventType()).isEqualTo(WebPubSubEventType.CONNECT);
    assertThat(event.getContext().getEventName()).isEqualTo("connect");
  }

  @Test
  void connectAnswerCarriesUserGroupsRolesAndSubprotocolAsJson() throws Exception {
    listen(WebPubSubEventType.CONNECT, "", "", "connect");

    EventHandlerResponse response = handle(post("azure.webpubsub.sys.connect", "{}"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("Content-Type", "application/json");
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"userId\":\"bob\",\"groups\":[\"room1\"],\"roles\":[\"webpubsub.joinLeaveGroup\"],"
                    + "\"subprotocol\":\"json.webpubsub.azure.v1\"}"));
    assertThat(((WebPubSubConnectEvent) this.published.get(0)).getResponse().getUserId())
        .isEqualTo("bob");
  }

  @Test
  void connectAnswerWithOnlySomeFieldsSendsOnlyThose() throws Exception {
    listen(WebPubSubEventType.CONNECT, "", "", "connectGroupsOnly");

    EventHandlerResponse response = handle(post("azure.webpubsub.sys.connect", "{}"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"groups\":[\"lobby\"]}");
  }

  @Test
  void connectListenerAnsweringAnotherTypeIsA500() throws Exception {
    listen(WebPubSubEventType.CONNECT, "", "", "connectWrongAnswer");

    EventHandlerResponse response = handle(post("azure.webpubsub.sys.connect", "{}"));

    assertThat(response.status()).isEqualTo(500);
    assertThat(this.published).isEmpty();
  }

  @Test
  void connectWithAnEmptyOrInvalidBodyIsA400() {
    assertThat(text(handle(post("azure.webpubsub.sys.connect", ""))))
        .isEqualTo("The connect event body is empty");
    assertThat(text(handle(post("azure.webpubsub.sys.connect", "null"))))
        .isEqualTo("The connect event body is empty");
    assertThat(text(handle(post("azure.webpubsub.sys.connect", "{"))))
        .isEqualTo("The connect event body is not valid JSON");
  }

  @Test
  void connectBodyMayBeLargerThanTheUserEventLimit() {
    String claims = "{\"claims\":{\"x\":[\"" + "v".repeat(4000) + "\"]}}";

    assertThat(handle(post("azure.webpubsub.sys.connect", claims)).status()).isEqualTo(204);
    assertThat(handle(post("azure.webpubsub.user.message", "v".repeat(1025))).status())
        .isEqualTo(413);
    assertThat(handle(post("azure.webpubsub.user.message", "v".repeat(1024))).status())
        .isEqualTo(204);
  }

  // ---- user events ----

  @Test
  void userEventWithoutAListenerIsAnswered204AndPublishedWithItsData() {
    EventHandlerRequest request = post("azure.webpubsub.user.message", "hello");
    request.headers().set(HttpHeaders.CONTENT_TYPE, "text/plain");

    EventHandlerResponse response = handle(request);

    assertThat(response.status()).isEqualTo(204);
    WebPubSubUserEvent event = (WebPubSubUserEvent) this.published.get(0);
    assertThat(event.getDataAsString()).isEqualTo("hello");
    assertThat(event.getContentType()).isEqualTo("text/plain");
  }

  @Test
  void userEventRepliesAreTextBinaryOrJsonByTheListenersResult() throws Exception {
    listen(WebPubSubEventType.USER, "text", "", "replyText");
    listen(WebPubSubEventType.USER, "binary", "", "replyBytes");
    listen(WebPubSubEventType.USER, "json", "", "replyJson");
    listen(WebPubSubEventType.USER, "nothing", "", "replyNothing");

    EventHandlerResponse text = handle(post("azure.webpubsub.user.text", "hi"));
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.headers()).containsEntry("Content-Type", "text/plain;charset=UTF-8");
    assertThat(text(text)).isEqualTo("echo hi");

    EventHandlerResponse binary = handle(post("azure.webpubsub.user.binary", "hi"));
    assertThat(binary.headers()).containsEntry("Content-Type", "application/octet-stream");
    assertThat(binary.body()).containsExactly(1, 2, 3);

    EventHandlerResponse json = handle(post("azure.webpubsub.user.json", "{\"n\":1}"));
    assertThat(json.headers()).containsEntry("Content-Type", "application/json");
    assertThat(text(json)).isEqualTo("{\"n\":2}");

    EventHandlerResponse nothing = handle(post("azure.webpubsub.user.nothing", "x"));
    assertThat(nothing.status()).isEqualTo(204);
    assertThat(nothing.headers()).isEmpty();
  }

  @Test
  void listenerForOneHubIsPreferredToOneForAnyHub() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "replyText");
    listen(WebPubSubEventType.USER, "message", "Chat", "replyChat");

    assertThat(text(handle(post("azure.webpubsub.user.message", "hi")))).isEqualTo("chat: hi");
    EventHandlerRequest other = post("azure.webpubsub.user.message", "hi");
    other.headers().set("ce-hub", "other");
    assertThat(text(handle(other))).isEqualTo("echo hi");
  }

  @Test
  void aSecondListenerForTheSameEventAndHubIsRefused() throws Exception {
    listen(WebPubSubEventType.USER, "message", "chat", "replyText");

    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.USER, "Message", "CHAT", "replyChat"))
        .withMessage(
            "Web PubSub listeners EventHandlerDispatchTests.Listeners.replyText and EventHandlerDispatchTests.Listeners.replyChat both handle user"
                + " event 'Message' of hub 'CHAT'; keep one (use @EventListener on"
                + " WebPubSubEvent types to observe an event in several places)");
    listen(WebPubSubEventType.CONNECTED, "", "", "connected");
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.CONNECTED, "", "", "connected"))
        .withMessageContaining("both handle connected of any hub;");
    assertThat(this.registry.size()).isEqualTo(2);
    assertThat(this.registry.hubs()).containsExactly("chat");
  }

  @Test
  void statesSetByAListenerAreSentBackAsTheConnectionStateHeader() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "countMessages");
    EventHandlerRequest request = post("azure.webpubsub.user.message", "hi");
    request
        .headers()
        .set("ce-connectionState", Base64.getEncoder().encodeToString("{\"count\":1}".getBytes()));

    EventHandlerResponse response = handle(request);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("Content-Type", "text/plain;charset=UTF-8");
    assertThat(new String(Base64.getDecoder().decode(response.headers().get("ce-connectionState"))))
        .isEqualTo("{\"count\":2}");
  }

  @Test
  void statesLeftUnchangedAreNotSentBack() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "readState");
    EventHandlerRequest request = post("azure.webpubsub.user.message", "hi");
    request
        .headers()
        .set("ce-connectionState", Base64.getEncoder().encodeToString("{\"n\":\"v\"}".getBytes()));

    EventHandlerResponse response = handle(request);

    assertThat(text(response)).isEqualTo("v");
    assertThat(response.headers()).doesNotContainKey("ce-connectionState");
  }

  @Test
  void blankOrNullConnectionStateMeansNoStates() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "readState");
    for (String header : List.of(" ", Base64.getEncoder().encodeToString("null".getBytes()))) {
      EventHandlerRequest request = post("azure.webpubsub.user.message", "hi");
      request.headers().set("ce-connectionState", header);
      assertThat(text(handle(request))).isEqualTo("none");
    }
  }

  @Test
  void connectionStateThatIsNotBase64JsonIsA400() {
    for (String header :
        List.of("not base64!", Base64.getEncoder().encodeToString("[1]".getBytes()))) {
      EventHandlerRequest request = post("azure.webpubsub.user.message", "hi");
      request.headers().set("ce-connectionState", header);
      EventHandlerResponse response = handle(request);
      assertThat(response.status()).isEqualTo(400);
      assertThat(text(response)).isEqualTo("ce-connectionState is not base64-encoded JSON object");
    }
  }

  @Test
  void theListenerSeesTheHeadersWithoutTheSignature() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "headers");

    String headers = text(handle(post("azure.webpubsub.user.message", "hi")));

    assertThat(headers)
        .contains("ce-type=[azure.webpubsub.user.message]", "ce-hub=[chat]")
        .doesNotContain("ce-signature");
  }

  @Test
  void userEventNameComesFromTheEventNameHeaderOrTheType() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "eventName");
    EventHandlerRequest emptyName = post("azure.webpubsub.user.message", "hi");
    emptyName.headers().set("ce-eventName", "");

    assertThat(text(handle(emptyName))).isEqualTo("message");
  }

  // ---- notifications ----

  @Test
  void connectedIsPublishedAndAnswered204() throws Exception {
    listen(WebPubSubEventType.CONNECTED, "", "", "connected");

    EventHandlerResponse response = handle(post("azure.webpubsub.sys.connected", "{}"));

    assertThat(response.status()).isEqualTo(204);
    assertThat(this.listeners.calls).containsExactly("connected conn1");
    assertThat(this.published).singleElement().isInstanceOf(WebPubSubConnectedEvent.class);
    assertThat(((WebPubSubEvent) this.published.get(0)).getContext().getEventName())
        .isEqualTo("connected");
  }

  @Test
  void disconnectedCarriesTheReasonToTheListenerAndTheEvent() throws Exception {
    listen(WebPubSubEventType.DISCONNECTED, "", "", "disconnected");

    EventHandlerResponse response =
        handle(post("azure.webpubsub.sys.disconnected", "{\"reason\":\"closed by client\"}"));

    assertThat(response.status()).isEqualTo(204);
    assertThat(this.listeners.calls).containsExactly("disconnected closed by client");
    assertThat(((WebPubSubDisconnectedEvent) this.published.get(0)).getReason())
        .isEqualTo("closed by client");
  }

  @Test
  void disconnectedWithoutABodyIsA400() {
    assertThat(text(handle(post("azure.webpubsub.sys.disconnected", ""))))
        .isEqualTo("The disconnected event body is empty");
    assertThat(this.published).isEmpty();
  }

  @Test
  void groupEventsArePublishedWithTheirGroup() {
    handle(post("azure.webpubsub.gp.joined", "{\"group\":\"room1\"}"));
    handle(post("azure.webpubsub.gp.left", "{\"group\":\"room2\"}"));

    assertThat(((WebPubSubGroupJoinedEvent) this.published.get(0)).getGroup()).isEqualTo("room1");
    assertThat(((WebPubSubGroupLeftEvent) this.published.get(1)).getGroup()).isEqualTo("room2");
  }

  @Test
  void groupEventsWithoutAGroupAreA400() {
    for (String body : List.of("{}", "{\"group\":\"\"}", "{\"group\":1}", "null", "[")) {
      EventHandlerResponse response = handle(post("azure.webpubsub.gp.joined", body));
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(text(response)).isEqualTo("The group event body has no 'group'");
    }
    assertThat(this.published).isEmpty();
  }

  // ---- the request itself ----

  @Test
  void hubsNotServedAreA404AndServedHubsMatchIgnoringCase() {
    EventHandlerCore core = core(List.of(" Chat ", "", "news"));

    assertThat(core.handle(post("azure.webpubsub.sys.connected", "{}")).block().status())
        .isEqualTo(204);
    EventHandlerRequest other = post("azure.webpubsub.sys.connected", "{}");
    other.headers().set("ce-hub", "other");
    EventHandlerResponse response = core.handle(other).block();
    assertThat(response.status()).isEqualTo(404);
    assertThat(text(response)).isEqualTo("Hub is not served here");
  }

  @Test
  void missingOrEmptyRequiredHeadersAreA400NamingThem() {
    EventHandlerRequest noHub = post("azure.webpubsub.sys.connected", "{}");
    noHub.headers().remove("ce-hub");
    assertThat(text(handle(noHub))).isEqualTo("Missing header ce-hub");
    EventHandlerRequest emptyType = post("azure.webpubsub.sys.connected", "{}");
    emptyType.headers().set("ce-type", "");
    assertThat(text(handle(emptyType))).isEqualTo("Missing header ce-type");
  }

  @Test
  void methodsOtherThanPostAndOptionsAreA405() {
    EventHandlerResponse response = handle(request("GET", new HttpHeaders(), ""));

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers()).containsEntry("Allow", "OPTIONS, POST");
  }

  @Test
  void validationAllowsTheServiceHostAndRefusesOthers() {
    HttpHeaders service = new HttpHeaders();
    service.set("WebHook-Request-Origin", "contoso.webpubsub.azure.com");
    EventHandlerResponse allowed = handle(request("OPTIONS", service, ""));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.headers())
        .containsEntry("WebHook-Allowed-Origin", "contoso.webpubsub.azure.com");

    HttpHeaders other = new HttpHeaders();
    other.set("WebHook-Request-Origin", "evil.example.com");
    EventHandlerResponse refused = handle(request("OPTIONS", other, ""));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(text(refused)).isEqualTo("Origin is not allowed to deliver events");
  }

  @Test
  void listenerFailureIsA500WithoutItsMessage() throws Exception {
    listen(WebPubSubEventType.USER, "message", "", "fail");

    EventHandlerResponse response = handle(post("azure.webpubsub.user.message", "hi"));

    assertThat(response.status()).isEqualTo(500);
    assertThat(text(response)).isEqualTo("Event listener failed");
  }

  @Test
  void failingInvocationListenerIsA500SayingTheInvocationFailed() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "add",
            "",
            () -> this.listeners,
            Listeners.class.getDeclaredMethod("fail"),
            true));

    EventHandlerResponse response = handle(post("azure.webpubsub.user.add", "1"));

    assertThat(response.status()).isEqualTo(500);
    assertThat(text(response)).isEqualTo("Invocation failed");
  }

  @Test
  void aUserListenerBesideAnInvocationListenerOfTheSameNameIsRefusedSayingWhy() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "add",
            "",
            () -> this.listeners,
            Listeners.class.getDeclaredMethod("replyText", String.class),
            true));

    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.USER, "add", "", "replyChat"))
        .withMessage(
            "Web PubSub listeners EventHandlerDispatchTests.Listeners.replyText and"
                + " EventHandlerDispatchTests.Listeners.replyChat both handle user event 'add' of"
                + " any hub (the service sends an invocation as the user event of the same name);"
                + " keep one (use @EventListener on WebPubSubEvent types to observe an event in"
                + " several places)");
  }

  @Test
  void theInvocationHintIsGivenWhicheverOfTheTwoListenersCameFirst() throws Exception {
    listen(WebPubSubEventType.USER, "add", "", "replyChat");

    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                this.registry.register(
                    new ListenerMethod(
                        WebPubSubEventType.USER,
                        "add",
                        "",
                        () -> this.listeners,
                        Listeners.class.getDeclaredMethod("replyText", String.class),
                        true)))
        .withMessageContaining(
            "both handle user event 'add' of any hub (the service sends an invocation as the user"
                + " event of the same name);");
  }

  @Test
  void theEventNameHeaderIsDecodedAndPreferredToTheType() throws Exception {
    listen(WebPubSubEventType.USER, "caf\u00e9", "", "eventName");
    EventHandlerRequest request = post("azure.webpubsub.user.caf%C3%A9", "hi");
    request.headers().set("ce-eventName", "caf%C3%A9");

    assertThat(text(handle(request))).isEqualTo("caf\u00e9");
  }

  @Test
  void blankHubEntriesMeanEveryHubIsServed() {
    EventHandlerResponse response =
        core(List.of(" ", "")).handle(post("azure.webpubsub.sys.connected", "{}")).block();

    assertThat(response.status()).isEqualTo(204);
  }

  @Test
  void withoutEventNameHeaderASystemEventIsNamedByTheLastPartOfItsType() {
    EventHandlerRequest request = post("azure.webpubsub.sys.connected", "{}");
    request.headers().remove("ce-eventName");

    handle(request);

    assertThat(((WebPubSubEvent) this.published.get(0)).getContext().getEventName())
        .isEqualTo("connected");
  }

  @Test
  void listenerMethodsNeedNotBeAccessible() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "message",
            "",
            Hidden::new,
            Hidden.class.getDeclaredMethod("hello", String.class)));

    assertThat(text(handle(post("azure.webpubsub.user.message", "hi")))).isEqualTo("hidden hi");
  }

  private static final class Hidden {

    private String hello(String text) {
      return "hidden " + text;
    }
  }

  @Test
  void theConnectListenerGetsTheRequestTheEventCarriesParsedOnce() throws Exception {
    listen(WebPubSubEventType.CONNECT, "", "", "connectRemember");

    handle(post("azure.webpubsub.sys.connect", "{\"claims\":{\"sub\":[\"carol\"]}}"));

    WebPubSubConnectEvent event = (WebPubSubConnectEvent) this.published.get(0);
    assertThat(this.listeners.connectRequests).singleElement().isSameAs(event.getRequest());
  }

  // ---- listener methods ----

  @Test
  void listenerMethodsWithTwoDataParametersOrReturningAFluxAreRefused() {
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.USER, "m", "", "twoData"))
        .withMessage(
            "Web PubSub listener EventHandlerDispatchTests.Listeners.twoData declares more than one data parameter; allowed"
                + " are one WebPubSubConnectionContext and one data parameter (String, byte[] or"
                + " a JSON-mapped type)");
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.USER, "m", "", "twoContexts"))
        .withMessageContaining("declares more than one WebPubSubConnectionContext parameter");
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.USER, "m", "", "flux"))
        .withMessage(
            "Web PubSub listener EventHandlerDispatchTests.Listeners.flux returns a Flux; return a Mono (one reply at most)");
  }

  @Test
  void connectListenersMustAnswerAConnectResponse() throws Exception {
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.CONNECT, "", "", "replyText"))
        .withMessage(
            "Web PubSub listener EventHandlerDispatchTests.Listeners.replyText returns String; a connect listener returns"
                + " void, WebPubSubConnectResponse or a Mono of it");
    assertThatIllegalStateException()
        .isThrownBy(() -> listen(WebPubSubEventType.CONNECT, "", "", "monoOfText"))
        .withMessageContaining("returns Mono; a connect listener");
    listen(WebPubSubEventType.CONNECT, "", "a", "connectVoid");
    listen(WebPubSubEventType.CONNECT, "", "b", "connectMono");
    listen(WebPubSubEventType.CONNECT, "", "c", "connectWrongAnswer");
    assertThat(this.registry.size()).isEqualTo(3);
  }

  @Test
  void dataParametersBindTextBytesJsonOrTheParsedRequest() throws Exception {
    listen(WebPubSubEventType.USER, "bytes", "", "bytesLength");
    listen(WebPubSubEventType.USER, "json", "", "replyJson");
    listen(WebPubSubEventType.CONNECT, "", "", "connectRequest");

    assertThat(text(handle(post("azure.webpubsub.user.bytes", "abc")))).isEqualTo("3");
    EventHandlerResponse notJson = handle(post("azure.webpubsub.user.json", "x"));
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(text(notJson)).isEqualTo("Event data is not JSON of the type the listener expects");
    EventHandlerResponse empty = handle(post("azure.webpubsub.user.json", "null"));
    assertThat(text(empty)).isEqualTo("Event data is empty; the listener needs data");
    EventHandlerResponse connect =
        handle(post("azure.webpubsub.sys.connect", "{\"claims\":{\"sub\":[\"carol\"]}}"));
    assertThat(text(connect)).isEqualTo("{\"userId\":\"carol\"}");
  }

  private static String text(EventHandlerResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  record Counter(int n) {}

  static class Listeners {

    final List<String> calls = new ArrayList<>();

    final List<WebPubSubConnectRequest> connectRequests = new ArrayList<>();

    void connectRemember(WebPubSubConnectRequest request) {
      this.connectRequests.add(request);
    }

    WebPubSubConnectResponse connect(WebPubSubConnectionContext context) {
      return WebPubSubConnectResponse.accept()
          .userId("bob")
          .groups("room1")
          .roles("webpubsub.joinLeaveGroup")
          .subprotocol("json.webpubsub.azure.v1");
    }

    WebPubSubConnectResponse connectGroupsOnly() {
      return WebPubSubConnectResponse.accept().groups("lobby");
    }

    Object connectWrongAnswer() {
      return "yes";
    }

    void connectVoid() {}

    Mono<WebPubSubConnectResponse> connectMono() {
      return Mono.empty();
    }

    WebPubSubConnectResponse connectRequest(WebPubSubConnectRequest request) {
      return WebPubSubConnectResponse.accept().userId(request.claim("sub"));
    }

    String replyText(String text) {
      return "echo " + text;
    }

    String replyChat(String text) {
      return "chat: " + text;
    }

    Mono<String> monoOfText() {
      return Mono.just("x");
    }

    byte[] replyBytes() {
      return new byte[] {1, 2, 3};
    }

    Counter replyJson(Counter counter) {
      return new Counter(counter.n() + 1);
    }

    @Nullable String replyNothing() {
      return null;
    }

    String bytesLength(byte[] data) {
      return String.valueOf(data.length);
    }

    String countMessages(WebPubSubConnectionContext context) {
      Integer count = context.getState("count", Integer.class);
      context.setState("count", (count != null) ? count + 1 : 1);
      return "counted";
    }

    String readState(WebPubSubConnectionContext context) {
      String value = context.getState("n", String.class);
      return (value != null) ? value : "none";
    }

    String headers(WebPubSubConnectionContext context) {
      return context.getHeaders().toString();
    }

    String eventName(WebPubSubConnectionContext context) {
      return context.getEventName();
    }

    void connected(WebPubSubConnectionContext context) {
      this.calls.add("connected " + context.getConnectionId());
    }

    void disconnected(WebPubSubDisconnectedRequest request) {
      this.calls.add("disconnected " + request.reason());
    }

    String fail() {
      throw new IllegalStateException("secret detail");
    }

    String twoData(String a, String b) {
      return a + b;
    }

    String twoContexts(WebPubSubConnectionContext a, WebPubSubConnectionContext b) {
      return "";
    }

    Flux<String> flux() {
      return Flux.empty();
    }
  }

  static EventHandlerRequest post(String ceType, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("ce-type", ceType);
    headers.set("ce-hub", "chat");
    headers.set("ce-connectionId", CONNECTION_ID);
    headers.set("ce-eventName", ceType.substring(ceType.lastIndexOf('.') + 1));
    headers.set("ce-signature", SignatureValidator.signature(KEY, CONNECTION_ID));
    return request("POST", headers, body);
  }

  static EventHandlerRequest request(String method, HttpHeaders headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new EventHandlerRequest() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public Mono<byte[]> body(int maxBytes) {
        return (bytes.length > maxBytes)
            ? Mono.error(new PayloadTooLargeException(maxBytes))
            : Mono.just(bytes);
      }
    };
  }
}
