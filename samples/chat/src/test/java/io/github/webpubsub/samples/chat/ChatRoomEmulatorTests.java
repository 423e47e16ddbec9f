package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.emulator.boot.test.AutoConfigureWebPubSubEmulator;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClient;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClients;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import tools.jackson.databind.JsonNode;

/** The test the root README shows: a {@code @SendToGroup} publish and the connect listener. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebPubSubEmulator
class ChatRoomEmulatorTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Autowired private WebPubSubTestClients clients;

  @Autowired private ChatRoom chatRoom;

  @Test
  void postReachesTheRoomsClientsAndTheConnectListenerChecksEveryClient() {
    WebPubSubTestClient alice =
        this.clients.connect(ClientAccessOptions.forUser("alice").groups("lobby"));
    // the connect listener kept the room in the connection state; the connected one announced it
    assertThat(alice.awaitMessage(TIMEOUT).at("/data/kind").asString()).isEqualTo("joined");

    this.chatRoom.post("lobby", "bob", "hi").block(TIMEOUT); // @SendToGroup("#{#room}")

    JsonNode message = alice.awaitMessage(TIMEOUT);
    assertThat(message.path("group").asString()).isEqualTo("lobby");
    assertThat(message.at("/data/text").asString()).isEqualTo("hi");
    // a token without a room is refused by the connect listener
    assertThatExceptionOfType(WebSocketClientHandshakeException.class)
        .isThrownBy(() -> this.clients.connect(ClientAccessOptions.forUser("mallory")));
  }
}
