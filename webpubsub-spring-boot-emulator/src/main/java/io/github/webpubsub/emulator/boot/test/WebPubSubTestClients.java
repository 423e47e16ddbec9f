package io.github.webpubsub.emulator.boot.test;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubOperations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * Connects {@link WebPubSubTestClient}s to the emulator with tokens from the application's {@link
 * WebPubSubOperations} and reads the emulator's state through its REST API. A context with {@link
 * AutoConfigureWebPubSubEmulator} has one as a bean; its clients are closed after each test method.
 *
 * <pre>{@code
 * @Autowired WebPubSubTestClients clients;
 *
 * WebPubSubTestClient bob = clients.connect(ClientAccessOptions.forUser("bob").groups("lobby"));
 * assertThat(clients.groupMembers("lobby")).extracting(GroupMember::userId).contains("bob");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubTestClients implements AutoCloseable {

  /** How long connecting, acks and REST reads wait by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final WebPubSubOperations operations;

  private final Duration timeout;

  private final List<WebPubSubTestClient> clients;

  /**
   * Creates test clients for the hub of the given operations.
   *
   * @param operations the template (or a {@code forHub} view) whose hub the clients connect to
   */
  public WebPubSubTestClients(WebPubSubOperations operations) {
    this(operations, DEFAULT_TIMEOUT);
  }

  /**
   * Creates test clients for the hub of the given operations.
   *
   * @param operations the template (or a {@code forHub} view) whose hub the clients connect to
   * @param timeout how long connecting, acks and REST reads wait
   */
  public WebPubSubTestClients(WebPubSubOperations operations, Duration timeout) {
    this(
        Objects.requireNonNull(operations, "operations"),
        Objects.requireNonNull(timeout, "timeout"),
        new CopyOnWriteArrayList<>());
  }

  private WebPubSubTestClients(
      WebPubSubOperations operations, Duration timeout, List<WebPubSubTestClient> clients) {
    this.operations = operations;
    this.timeout = timeout;
    this.clients = clients;
  }

  /**
   * Connects a {@code json.webpubsub.azure.v1} client to the default hub.
   *
   * @param options the user, roles and groups of its token
   * @return the client, once the {@code connected} system message arrived
   */
  public WebPubSubTestClient connect(ClientAccessOptions options) {
    return connect(options, WebPubSubTestClient.Protocol.JSON);
  }

  /**
   * Connects a client to the default hub.
   *
   * @param options the user, roles and groups of its token
   * @param protocol the subprotocol to speak
   * @return the client, once connected (JSON protocols: once the {@code connected} system message
   *     arrived; plain: once upgraded)
   * @throws io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException when the
   *     emulator or the application's connect listener refused the client
   */
  public WebPubSubTestClient connect(
      ClientAccessOptions options, WebPubSubTestClient.Protocol protocol) {
    WebPubSubClientAccess access = block(this.operations.getClientAccessToken(options));
    return connectTo(access.url(), protocol);
  }

  /**
   * Connects a client to a client URL the application handed out (e.g. from its own negotiate
   * endpoint), tracked and closed like the others.
   *
   * @param clientUrl the WebSocket URL with its {@code access_token}
   * @param protocol the subprotocol to speak
   * @return the client, once connected
   */
  public WebPubSubTestClient connectTo(String clientUrl, WebPubSubTestClient.Protocol protocol) {
    WebPubSubTestClient client = WebPubSubTestClient.connect(clientUrl, protocol, this.timeout);
    this.clients.add(client);
    return client;
  }

  /**
   * Test clients of another hub, sharing this one's clean-up.
   *
   * @param hub the hub
   * @return clients of that hub
   */
  public WebPubSubTestClients forHub(String hub) {
    return new WebPubSubTestClients(this.operations.forHub(hub), this.timeout, this.clients);
  }

  /**
   * The connections in a group, as the emulator lists them.
   *
   * @param group the group
   * @return its members (connection and user ids)
   */
  public List<GroupMember> groupMembers(String group) {
    return block(this.operations.listConnectionsInGroup(group).collectList());
  }

  /**
   * Whether the user has a connection.
   *
   * @param userId the user id
   * @return {@code true} when the emulator knows a connection of the user
   */
  public boolean userExists(String userId) {
    return block(this.operations.userExists(userId));
  }

  /**
   * Whether the connection exists.
   *
   * @param connectionId the connection id
   * @return {@code true} when the emulator knows it
   */
  public boolean connectionExists(String connectionId) {
    return block(this.operations.connectionExists(connectionId));
  }

  /**
   * Whether the group has a connection.
   *
   * @param group the group
   * @return {@code true} when the group has a member
   */
  public boolean groupExists(String group) {
    return block(this.operations.groupExists(group));
  }

  /**
   * The clients connected through this object (and its {@link #forHub} views) and not yet closed.
   *
   * @return a copy of the list
   */
  public List<WebPubSubTestClient> clients() {
    return List.copyOf(this.clients);
  }

  /**
   * Closes every client with a close frame and waits until the emulator no longer knows them. Runs
   * after each test method of a context with {@link AutoConfigureWebPubSubEmulator}.
   */
  public void closeAll() {
    for (WebPubSubTestClient client : this.clients) {
      client.close();
      this.clients.remove(client);
      String connectionId = client.getConnectionId();
      if (connectionId != null) {
        // the emulator removes a closed connection asynchronously; wait until REST agrees
        Mono.defer(() -> this.operations.connectionExists(connectionId))
            .filter((exists) -> !exists)
            .repeatWhenEmpty((attempts) -> attempts.delayElements(Duration.ofMillis(10)))
            .timeout(this.timeout, Mono.just(true))
            .onErrorReturn(true)
            .block();
      }
    }
  }

  @Override
  public void close() {
    closeAll();
  }

  private <T> T block(Mono<T> mono) {
    T value = mono.block(this.timeout);
    if (value == null) {
      throw new IllegalStateException("No answer from the emulator");
    }
    return value;
  }
}
