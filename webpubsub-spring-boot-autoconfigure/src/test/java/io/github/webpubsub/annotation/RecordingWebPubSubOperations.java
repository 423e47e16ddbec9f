package io.github.webpubsub.annotation;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.CloseOptions;
import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.SendOptions;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubPermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * In-memory {@link WebPubSubOperations} that records every send when it is subscribed, can fail
 * sends to chosen targets and can hold sends until the test releases them. Hub views made by {@link
 * #forHub(String)} share the record. Operations other than sends are outside its scope and signal
 * {@link UnsupportedOperationException}.
 */
public final class RecordingWebPubSubOperations implements WebPubSubOperations {

  /** A send, as the operations received it. */
  public record Send(
      String operation, String hub, @Nullable String target, Object message, SendOptions options) {}

  private final String hub;

  private final Shared shared;

  public RecordingWebPubSubOperations() {
    this("chat", new Shared());
  }

  private RecordingWebPubSubOperations(String hub, Shared shared) {
    this.hub = hub;
    this.shared = shared;
  }

  /** Sends subscribed so far, in order. */
  public List<Send> sends() {
    return List.copyOf(this.shared.sends);
  }

  /** Sends to this target (group, user or connection id; {@code "*"} for sendToAll) fail. */
  public void failSendsTo(String target, RuntimeException error) {
    this.shared.failures.put(target, error);
  }

  /** From now on, sends are recorded but complete only when {@link #release()} is called. */
  public void hold() {
    this.shared.holding = true;
  }

  /** Completes the sends held so far; later sends are held again until the next release. */
  public void release() {
    List<Sinks.Empty<Void>> releasing = new ArrayList<>(this.shared.held);
    this.shared.held.removeAll(releasing);
    releasing.forEach(Sinks.Empty::tryEmitEmpty);
  }

  /** Number of sends waiting for {@link #release()}. */
  public int heldCount() {
    return this.shared.held.size();
  }

  @Override
  public String getHub() {
    return this.hub;
  }

  @Override
  public WebPubSubOperations forHub(String hub) {
    this.shared.hubViews.add(hub);
    return new RecordingWebPubSubOperations(hub, this.shared);
  }

  /** Hubs asked for through {@link #forHub(String)}, in order, repeats included. */
  public List<String> hubViews() {
    return List.copyOf(this.shared.hubViews);
  }

  @Override
  public Mono<Void> sendToAll(Object message, SendOptions options) {
    return record("sendToAll", null, message, options);
  }

  @Override
  public Mono<Void> sendToGroup(String group, Object message, SendOptions options) {
    return record("sendToGroup", group, message, options);
  }

  @Override
  public Mono<Void> sendToUser(String userId, Object message, SendOptions options) {
    if (!options.getExcluded().isEmpty()) {
      return Mono.error(new IllegalArgumentException("excluded is not supported by sendToUser"));
    }
    return record("sendToUser", userId, message, options);
  }

  @Override
  public Mono<Void> sendToConnection(String connectionId, Object message, SendOptions options) {
    if (!options.getExcluded().isEmpty()) {
      return Mono.error(
          new IllegalArgumentException("excluded is not supported by sendToConnection"));
    }
    return record("sendToConnection", connectionId, message, options);
  }

  private Mono<Void> record(
      String operation, @Nullable String target, Object message, SendOptions options) {
    return Mono.defer(
        () -> {
          this.shared.sends.add(new Send(operation, this.hub, target, message, options));
          RuntimeException failure = this.shared.failures.get((target != null) ? target : "*");
          if (failure != null) {
            return Mono.error(failure);
          }
          if (this.shared.holding) {
            Sinks.Empty<Void> sink = Sinks.empty();
            this.shared.held.add(sink);
            return sink.asMono();
          }
          return Mono.empty();
        });
  }

  private static <T> Mono<T> outOfScope() {
    return Mono.error(
        new UnsupportedOperationException("RecordingWebPubSubOperations only records sends"));
  }

  @Override
  public Mono<Boolean> connectionExists(String connectionId) {
    return outOfScope();
  }

  @Override
  public Mono<Boolean> groupExists(String group) {
    return outOfScope();
  }

  @Override
  public Mono<Boolean> userExists(String userId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> addConnectionToGroup(String group, String connectionId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> removeConnectionFromGroup(String group, String connectionId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> removeConnectionFromAllGroups(String connectionId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> addUserToGroup(String group, String userId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> removeUserFromGroup(String group, String userId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> removeUserFromAllGroups(String userId) {
    return outOfScope();
  }

  @Override
  public Mono<Void> addConnectionsToGroups(Collection<String> groups, @Nullable String filter) {
    return outOfScope();
  }

  @Override
  public Mono<Void> removeConnectionsFromGroups(
      Collection<String> groups, @Nullable String filter) {
    return outOfScope();
  }

  @Override
  public Flux<GroupMember> listConnectionsInGroup(String group) {
    return Flux.error(
        new UnsupportedOperationException("RecordingWebPubSubOperations only records sends"));
  }

  @Override
  public Mono<Void> closeConnection(String connectionId, @Nullable String reason) {
    return outOfScope();
  }

  @Override
  public Mono<Void> closeAllConnections(CloseOptions options) {
    return outOfScope();
  }

  @Override
  public Mono<Void> closeGroupConnections(String group, CloseOptions options) {
    return outOfScope();
  }

  @Override
  public Mono<Void> closeUserConnections(String userId, CloseOptions options) {
    return outOfScope();
  }

  @Override
  public Mono<Void> grantPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return outOfScope();
  }

  @Override
  public Mono<Void> revokePermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return outOfScope();
  }

  @Override
  public Mono<Boolean> checkPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return outOfScope();
  }

  @Override
  public Mono<WebPubSubClientAccess> getClientAccessToken(ClientAccessOptions options) {
    return outOfScope();
  }

  @Override
  public Mono<WebPubSubClientAccess> generateClientAccessToken(ClientAccessOptions options) {
    return outOfScope();
  }

  @Override
  public Mono<Void> checkServiceHealth() {
    return outOfScope();
  }

  private static final class Shared {

    private final List<Send> sends = new CopyOnWriteArrayList<>();

    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();

    private final Queue<Sinks.Empty<Void>> held = new ConcurrentLinkedQueue<>();

    private final List<String> hubViews = new CopyOnWriteArrayList<>();

    private volatile boolean holding;
  }
}
