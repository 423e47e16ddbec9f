package io.github.webpubsub.eventhandler;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The connection an upstream event is about, read from the CloudEvents headers, with its connection
 * state. Declare it as a listener parameter to receive it.
 *
 * <p>Connection state ({@code ce-connectionState}) travels with the connection: values set here
 * while handling {@code connect} or a user event are sent back to the service and arrive with every
 * later event of the connection. Changes made in {@code connected}, {@code disconnected} or group
 * notifications are not kept, because the service ignores those answers.
 *
 * @since 0.1.0
 */
public interface WebPubSubConnectionContext {

  /** Kind of event being handled. */
  WebPubSubEventType getEventType();

  /** Hub of the connection ({@code ce-hub}). */
  String getHub();

  /** Connection id ({@code ce-connectionId}); opaque. */
  String getConnectionId();

  /** User id ({@code ce-userId}), or {@code null} for an anonymous connection. */
  @Nullable String getUserId();

  /** Event name ({@code ce-eventName}), e.g. {@code connect} or a user event's name. */
  String getEventName();

  /** Subprotocol the connection uses ({@code ce-subprotocol}), or {@code null}. */
  @Nullable String getSubprotocol();

  /** The request's headers as the service sent them, names lower-cased; no signature. */
  Map<String, List<String>> getHeaders();

  /** Current connection state as plain JSON values (maps, lists, strings, numbers, booleans). */
  Map<String, Object> getStates();

  /**
   * One connection state value converted to a type with the application's JSON mapper.
   *
   * @param key state key
   * @param type target type
   * @param <T> target type
   * @return the value, or {@code null} when the key is absent
   */
  <T> @Nullable T getState(String key, Class<T> type);

  /**
   * Sets a connection state value, written as JSON. Applies to {@code connect} and user events.
   *
   * @param key state key, not empty
   * @param value any value the application's JSON mapper can write
   */
  void setState(String key, Object value);

  /**
   * Removes one connection state value.
   *
   * @param key state key
   */
  void removeState(String key);

  /** Removes every connection state value. */
  void clearStates();
}
