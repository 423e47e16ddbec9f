package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/** The per-request connection context; tracks whether the state changed. */
final class DefaultConnectionContext implements WebPubSubConnectionContext {

  private final WebPubSubEventType eventType;

  private final String hub;

  private final String connectionId;

  private final @Nullable String userId;

  private final String eventName;

  private final @Nullable String subprotocol;

  private final Map<String, List<String>> headers;

  private final Map<String, Object> states;

  private final JsonMapper jsonMapper;

  private boolean statesChanged;

  DefaultConnectionContext(
      WebPubSubEventType eventType,
      String hub,
      String connectionId,
      @Nullable String userId,
      String eventName,
      @Nullable String subprotocol,
      Map<String, List<String>> headers,
      Map<String, Object> states,
      JsonMapper jsonMapper) {
    this.eventType = eventType;
    this.hub = hub;
    this.connectionId = connectionId;
    this.userId = userId;
    this.eventName = eventName;
    this.subprotocol = subprotocol;
    this.headers = Collections.unmodifiableMap(headers);
    this.states = new LinkedHashMap<>(states);
    this.jsonMapper = jsonMapper;
  }

  @Override
  public WebPubSubEventType getEventType() {
    return this.eventType;
  }

  @Override
  public String getHub() {
    return this.hub;
  }

  @Override
  public String getConnectionId() {
    return this.connectionId;
  }

  @Override
  public @Nullable String getUserId() {
    return this.userId;
  }

  @Override
  public String getEventName() {
    return this.eventName;
  }

  @Override
  public @Nullable String getSubprotocol() {
    return this.subprotocol;
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    return this.headers;
  }

  @Override
  public Map<String, Object> getStates() {
    return Collections.unmodifiableMap(this.states);
  }

  @Override
  public <T> @Nullable T getState(String key, Class<T> type) {
    Object value = this.states.get(key);
    return (value != null) ? this.jsonMapper.convertValue(value, type) : null;
  }

  @Override
  public void setState(String key, Object value) {
    Assert.hasText(key, "key must not be empty");
    Assert.notNull(value, "value must not be null; use removeState to remove a key");
    this.states.put(key, this.jsonMapper.convertValue(value, Object.class));
    this.statesChanged = true;
  }

  @Override
  public void removeState(String key) {
    if (this.states.remove(key) != null) {
      this.statesChanged = true;
    }
  }

  @Override
  public void clearStates() {
    if (!this.states.isEmpty()) {
      this.states.clear();
      this.statesChanged = true;
    }
  }

  boolean statesChanged() {
    return this.statesChanged;
  }

  Map<String, Object> currentStates() {
    return this.states;
  }

  @Override
  public String toString() {
    return "WebPubSubConnectionContext[type="
        + this.eventType
        + ", hub="
        + this.hub
        + ", connectionId="
        + this.connectionId
        + ", userId="
        + this.userId
        + ", eventName="
        + this.eventName
        + "]";
  }
}
