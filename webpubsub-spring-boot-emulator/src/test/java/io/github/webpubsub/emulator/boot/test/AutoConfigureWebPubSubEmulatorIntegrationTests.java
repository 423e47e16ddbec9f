package io.github.webpubsub.emulator.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClient.Protocol;
import io.github.webpubsub.emulator.boot.testapp.EmulatorTestApplication;
import io.github.webpubsub.emulator.boot.testapp.Listeners;
import io.github.webpubsub.emulator.boot.testapp.Rooms;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One annotation wires a test's own emulator to the template and to the test's random port, even
 * though a connection string is configured, and the test client speaks all three protocols.
 */
@SpringBootTest(
    classes = EmulatorTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties =
        "webpubsub.connection-string=Endpoint=https://contoso.webpubsub.azure.com;"
            + "AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;")
@AutoConfigureWebPubSubEmulator
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureWebPubSubEmulatorIntegrationTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Autowired private WebPubSubTestClients clients;

  @Autowired private WebPubSubEmulator emulator;

  @Autowired private WebPubSubOperations webPubSub;

  @Autowired private Rooms rooms;

  @Autowired private Listeners listeners;

  @Autowired private ApplicationContext context;

  @Test
  void theTestsEmulatorReplacesTheConfiguredConnection() {
    assertThat(this.context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
        .isEqualTo(this.emulator.getEndpoint());
    EmulatorsSeen.check(this.context, this.emulator);
  }

  @Test
  void sendToGroupReachesAConnectedClientAndTheConnectListenerRan() {
    WebPubSubTestClient alice =
        this.clients.connect(ClientAccessOptions.forUser("alice").groups("lobby"));

    this.rooms.post("lobby", "hello").block(TIMEOUT);

    JsonNode message = alice.awaitMessage(TIMEOUT);
    assertThat(message.path("group").asString()).isEqualTo("lobby");
    assertThat(message.path("data").asString()).isEqualTo("hello");
    assertThat(this.listeners.connectedUsers()).contains("alice");
  }

  @Test
  void eachProtocolReceivesAGroupMessageInItsOwnFraming() {
    ClientAccessOptions options = ClientAccessOptions.forUser("bob").groups("news");
    WebPubSubTestClient plain = this.clients.connect(options, Protocol.PLAIN);
    WebPubSubTestClient json = this.clients.connect(options, Protocol.JSON);
    WebPubSubTestClient reliable = this.clients.connect(options, Protocol.RELIABLE_JSON);
    await().atMost(TIMEOUT).until(() -> this.clients.groupMembers("news").size() == 3);

    this.webPubSub.sendToGroup("news", "extra").block(TIMEOUT);

    assertThat(plain.awaitMessage(TIMEOUT).asString()).isEqualTo("extra");
    assertThat(json.awaitMessage(TIMEOUT).path("data").asString()).isEqualTo("extra");
    JsonNode fromReliable = reliable.awaitMessage(TIMEOUT);
    assertThat(fromReliable.path("data").asString()).isEqualTo("extra");
    assertThat(fromReliable.path("sequenceId").asLong()).isEqualTo(1);
    assertThat(json.getConnectionId()).isNotNull();
    assertThat(plain.getConnectionId()).isNull();
  }

  @Test
  void protobufClientsHaveTheSameApiAndMeetJsonClientsInAGroup() {
    ClientAccessOptions roles =
        ClientAccessOptions.forUser("pat")
            .roles("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");
    WebPubSubTestClient pb = this.clients.connect(roles, Protocol.PROTOBUF);
    WebPubSubTestClient reliable =
        this.clients.connect(
            ClientAccessOptions.forUser("rel").groups("mixed"), Protocol.RELIABLE_PROTOBUF);
    WebPubSubTestClient json =
        this.clients.connect(ClientAccessOptions.forUser("jo").groups("mixed"));
    assertThat(pb.getConnectionId()).isNotNull();
    assertThat(pb.getUserId()).isEqualTo("pat");

    assertThat(pb.joinGroup("mixed").path("success").asBoolean()).isTrue();
    assertThat(pb.sendToGroup("mixed", java.util.Map.of("k", "v")).path("success").asBoolean())
        .isTrue();

    JsonNode atJson = json.awaitMessage(TIMEOUT);
    assertThat(atJson.path("dataType").asString()).isEqualTo("json");
    assertThat(atJson.path("data").path("k").asString()).isEqualTo("v");
    assertThat(atJson.path("fromUserId").asString()).isEqualTo("pat");
    JsonNode atReliable = reliable.awaitMessage(TIMEOUT);
    assertThat(atReliable.path("data").path("k").asString()).isEqualTo("v");
    assertThat(atReliable.path("sequenceId").asLong()).isEqualTo(1);

    this.webPubSub.sendToGroup("mixed", "plain text").block(TIMEOUT);
    JsonNode own = pb.awaitMessage(TIMEOUT);
    assertThat(own.path("data").path("k").asString()).as("no noEcho: its own first").isEqualTo("v");
    JsonNode text = pb.awaitMessage(TIMEOUT);
    assertThat(text.path("dataType").asString()).isEqualTo("text");
    assertThat(text.path("data").asString()).isEqualTo("plain text");
    assertThat(pb.leaveGroup("mixed").path("success").asBoolean()).isTrue();
  }

  @Test
  void joinAndLeaveShowInTheEmulatorsGroupMembers() {
    WebPubSubTestClient carol =
        this.clients.connect(
            ClientAccessOptions.forUser("carol").roles("webpubsub.joinLeaveGroup"));
    String connectionId = carol.getConnectionId();

    assertThat(carol.joinGroup("team").path("success").asBoolean()).isTrue();
    assertThat(this.clients.groupMembers("team"))
        .containsExactly(new GroupMember(connectionId, "carol"));
    assertThat(this.clients.userExists("carol")).isTrue();

    assertThat(carol.leaveGroup("team").path("success").asBoolean()).isTrue();
    assertThat(this.clients.groupMembers("team")).isEmpty();
  }

  @Test
  void aClientWithoutTheRoleCannotJoinAndTheAckSaysSo() {
    WebPubSubTestClient dave = this.clients.connect(ClientAccessOptions.forUser("dave"));

    JsonNode ack = dave.joinGroup("team");

    assertThat(ack.path("success").asBoolean()).isFalse();
    assertThat(ack.path("error").path("name").asString()).isEqualTo("Forbidden");
  }

  @Test
  void aListenerOnASecondHubReceivesEventsAndAnswers() {
    WebPubSubTestClient zoe =
        this.clients.forHub("other").connect(ClientAccessOptions.forUser("zoe"));

    assertThat(zoe.sendEvent("ping", "there").path("success").asBoolean()).isTrue();

    assertThat(zoe.awaitMessage(TIMEOUT).path("data").asString()).isEqualTo("pong there");
  }

  @Test
  void awaitMessageFailsWithWhatArrivedWhenNothingCame() {
    WebPubSubTestClient erin = this.clients.connect(ClientAccessOptions.forUser("erin"));

    assertThatExceptionOfType(AssertionError.class)
        .isThrownBy(() -> erin.awaitMessage(Duration.ofMillis(100)))
        .withMessageContaining("No message within PT0.1S")
        .withMessageContaining("\"event\":\"connected\"");
  }

  @Test
  @Order(1)
  void aTestMayLeaveItsClientsConnected() {
    ClientAccessOptions frank = ClientAccessOptions.forUser("frank").groups("leftover");
    this.clients.connect(frank, Protocol.PLAIN);
    this.clients.connect(frank, Protocol.JSON);
    // one of each protocol, a reliable one included (its session could outlive a dropped socket)
    this.clients.connect(frank, Protocol.RELIABLE_JSON);
    assertThat(this.clients.groupMembers("leftover")).hasSize(3);
  }

  @Test
  @Order(2)
  void theNextTestFindsNoneOfThem() {
    assertThat(this.clients.clients()).isEmpty();
    assertThat(this.clients.groupMembers("leftover")).isEmpty();
    assertThat(this.clients.userExists("frank")).isFalse();
    assertThat(this.emulator.getConnectionCount()).isZero();
  }
}
