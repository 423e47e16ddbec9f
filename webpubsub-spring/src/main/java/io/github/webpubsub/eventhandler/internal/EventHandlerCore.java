package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubConnectEvent;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubConnectResponse;
import io.github.webpubsub.eventhandler.WebPubSubConnectedEvent;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedEvent;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedRequest;
import io.github.webpubsub.eventhandler.WebPubSubEvent;
import io.github.webpubsub.eventhandler.WebPubSubEventRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.WebPubSubGroupJoinedEvent;
import io.github.webpubsub.eventhandler.WebPubSubGroupLeftEvent;
import io.github.webpubsub.eventhandler.WebPubSubMqttConnectInfo;
import io.github.webpubsub.eventhandler.WebPubSubMqttConnectRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubMqttUserProperty;
import io.github.webpubsub.eventhandler.WebPubSubUserEvent;
import io.github.webpubsub.eventhandler.observation.DefaultWebPubSubEventHandlerObservationConvention;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationContext;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationConvention;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web-stack independent event handler: answers the abuse-protection handshake, checks the
 * signature, parses the CloudEvent, runs the listener, publishes the application event and writes
 * the answer the service expects. Every request is observed (see {@link
 * WebPubSubEventHandlerObservationDocumentation}).
 *
 * <p>(Why this class is long: one request's whole path, from headers to the answer, reads in one
 * place, one short method per step and per event kind; header decoding, signature checks, abuse
 * protection and listener invocation are in classes of their own.)
 */
public final class EventHandlerCore {

  /** Largest {@code connect} body accepted (the service's own connect limit). */
  static final int MAX_CONNECT_BODY_BYTES = 16 * 1024 * 1024;

  private static final Log logger = LogFactory.getLog(EventHandlerCore.class);

  private static final String CONNECTION_STATE = "ce-connectionState";

  private static final String USER_TYPE_PREFIX = "azure.webpubsub.user.";

  private static final TypeReference<Map<String, Object>> STATE_TYPE = new TypeReference<>() {};

  private final ListenerRegistry registry;

  private final Supplier<List<String>> accessKeys;

  private final Supplier<@Nullable URI> endpoint;

  private final AbuseProtection abuseProtection;

  private final Set<String> hubs;

  private final int maxBodyBytes;

  private final JsonMapper jsonMapper;

  private final ApplicationEventPublisher publisher;

  private final Supplier<ObservationRegistry> observationRegistry;

  private final @Nullable WebPubSubEventHandlerObservationConvention observationConvention;

  /**
   * Creates the core.
   *
   * @param registry the listener methods
   * @param accessKeys the access keys, primary first, read per request
   * @param endpoint the service endpoint, read per request
   * @param allowedOrigins extra origins allowed to deliver events ({@code *} for any)
   * @param hubs hubs served, empty for any
   * @param maxBodyBytes largest user or notification event body accepted
   * @param jsonMapper the application's JSON mapper
   * @param publisher publishes the application events
   * @param observationRegistry where requests are observed
   * @param observationConvention replaces the default observation convention, if not {@code null}
   */
  public EventHandlerCore(
      ListenerRegistry registry,
      Supplier<List<String>> accessKeys,
      Supplier<@Nullable URI> endpoint,
      List<String> allowedOrigins,
      List<String> hubs,
      int maxBodyBytes,
      JsonMapper jsonMapper,
      ApplicationEventPublisher publisher,
      Supplier<ObservationRegistry> observationRegistry,
      @Nullable WebPubSubEventHandlerObservationConvention observationConvention) {
    this.registry = registry;
    this.accessKeys = accessKeys;
    this.endpoint = endpoint;
    this.abuseProtection = new AbuseProtection(allowedOrigins);
    this.hubs =
        hubs.stream()
            .map(String::trim)
            .filter(hub -> !hub.isEmpty())
            .map(hub -> hub.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.maxBodyBytes = maxBodyBytes;
    this.jsonMapper = jsonMapper;
    this.publisher = publisher;
    this.observationRegistry = observationRegistry;
    this.observationConvention = observationConvention;
  }

  /**
   * Handles one request. Never errors: every failure becomes an answer.
   *
   * @param request the request
   * @return the answer
   */
  public Mono<EventHandlerResponse> handle(EventHandlerRequest request) {
    return Mono.defer(
        () -> {
          WebPubSubEventHandlerObservationContext context =
              new WebPubSubEventHandlerObservationContext();
          Tags tags = new Tags();
          Observation observation =
              WebPubSubEventHandlerObservationDocumentation.REQUESTS
                  .observation(
                      this.observationConvention,
                      DefaultWebPubSubEventHandlerObservationConvention.INSTANCE,
                      () -> context,
                      this.observationRegistry.get())
                  .start();
          return Mono.defer(() -> process(request, tags))
              .onErrorResume(ex -> Mono.just(answerFailure(ex, tags)))
              .doOnNext(
                  response -> {
                    context.setEventType(tags.eventType);
                    context.setHub(tags.hub);
                    context.setStatus(response.status());
                    if (tags.error != null) {
                      observation.error(tags.error);
                    }
                    observation.stop();
                  })
              .doOnCancel(
                  () -> {
                    // the service gave up (e.g. a cancelled invocation): status stays 0, UNKNOWN
                    context.setEventType(tags.eventType);
                    context.setHub(tags.hub);
                    observation.stop();
                  });
        });
  }

  private Mono<EventHandlerResponse> process(EventHandlerRequest request, Tags tags) {
    HttpHeaders headers = request.headers();
    if ("OPTIONS".equals(request.method())) {
      tags.eventType = "validate";
      return Mono.just(validate(headers));
    }
    if (!"POST".equals(request.method())) {
      return Mono.just(
          new EventHandlerResponse(405, Map.of("Allow", "OPTIONS, POST"), new byte[0]));
    }
    CloudEventHeaders.requireSingleValues(headers);
    String connectionId = headers.getFirst("ce-connectionId");
    if (!SignatureValidator.isValid(
        headers.getFirst("ce-signature"), connectionId, this.accessKeys.get())) {
      return Mono.just(EventHandlerResponse.text(401, "Invalid or missing ce-signature"));
    }
    String ceType = required(headers, "ce-type");
    String hub = CloudEventHeaders.decode("ce-hub", required(headers, "ce-hub"));
    connectionId =
        CloudEventHeaders.decode("ce-connectionId", required(headers, "ce-connectionId"));
    WebPubSubEventType type = WebPubSubEventType.fromCloudEventType(ceType);
    if (type == null) {
      if (ceType.startsWith("azure.webpubsub.")) {
        // an event kind newer than this handler: accepted so the service does not fail it
        tags.eventType = "other";
        return Mono.just(EventHandlerResponse.empty(204));
      }
      throw new MalformedEventException("ce-type '" + ceType + "' is not a Web PubSub event");
    }
    tags.eventType = type.tagValue();
    if (!this.hubs.isEmpty() && !this.hubs.contains(hub.toLowerCase(Locale.ROOT))) {
      return Mono.just(EventHandlerResponse.text(404, "Hub is not served here"));
    }
    tags.hub = hub;
    String eventName = CloudEventHeaders.value(headers, "ce-eventName");
    if (eventName == null || eventName.isEmpty()) {
      // user event names may contain dots: take everything after the type's prefix
      eventName =
          (type == WebPubSubEventType.USER)
              ? ceType.substring(USER_TYPE_PREFIX.length())
              : ceType.substring(ceType.lastIndexOf('.') + 1);
    }
    DefaultConnectionContext context =
        new DefaultConnectionContext(
            type,
            hub,
            connectionId,
            CloudEventHeaders.value(headers, "ce-userId"),
            eventName,
            CloudEventHeaders.value(headers, "ce-subprotocol"),
            headerMap(headers),
            readStates(headers.getFirst(CONNECTION_STATE)),
            this.jsonMapper);
    int limit =
        (type == WebPubSubEventType.CONNECT)
            ? Math.max(MAX_CONNECT_BODY_BYTES, this.maxBodyBytes)
            : this.maxBodyBytes;
    String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
    return request.body(limit).flatMap(body -> dispatch(context, body, contentType, tags));
  }

  private EventHandlerResponse validate(HttpHeaders headers) {
    String allowed =
        this.abuseProtection.allowedOrigin(
            headers.getFirst("WebHook-Request-Origin"), this.endpoint.get());
    if (allowed == null) {
      return EventHandlerResponse.text(401, "Origin is not allowed to deliver events");
    }
    return new EventHandlerResponse(200, Map.of("WebHook-Allowed-Origin", allowed), new byte[0]);
  }

  private Mono<EventHandlerResponse> dispatch(
      DefaultConnectionContext context, byte[] body, @Nullable String contentType, Tags tags) {
    WebPubSubEventType type = context.getEventType();
    ListenerMethod listener = this.registry.find(type, context.getEventName(), context.getHub());
    if (listener != null && listener.invocation()) {
      tags.failureMessage = "Invocation failed";
    }
    return switch (type) {
      case CONNECT -> {
        WebPubSubConnectRequest connect = parse(body, WebPubSubConnectRequest.class, "connect");
        Mono<EventHandlerResponse> answered =
            invoke(listener, context, body, connect)
                .map(result -> asConnectResponse(result, listener))
                .defaultIfEmpty(WebPubSubConnectResponse.accept())
                .map(
                    answer -> {
                      this.publisher.publishEvent(
                          new WebPubSubConnectEvent(context, connect, answer));
                      return withState(context, connectAnswer(answer));
                    });
        WebPubSubMqttConnectInfo mqtt = connect.mqtt();
        yield (mqtt != null)
            ? answered.onErrorResume(ex -> Mono.just(mqttConnectFailure(ex, mqtt, tags)))
            : answered;
      }
      case USER ->
          invoke(listener, context, body, null)
              .map(this::reply)
              .defaultIfEmpty(EventHandlerResponse.empty(204))
              .map(
                  answer -> {
                    this.publisher.publishEvent(new WebPubSubUserEvent(context, body, contentType));
                    return withState(context, answer);
                  });
      case CONNECTED -> notify(listener, context, body, null, new WebPubSubConnectedEvent(context));
      case DISCONNECTED -> {
        WebPubSubDisconnectedRequest reason =
            parse(body, WebPubSubDisconnectedRequest.class, "disconnected");
        yield notify(
            listener,
            context,
            body,
            reason,
            new WebPubSubDisconnectedEvent(context, reason.reason(), reason.mqtt()));
      }
      case GROUP_JOINED ->
          notify(null, context, body, null, new WebPubSubGroupJoinedEvent(context, group(body)));
      case GROUP_LEFT ->
          notify(null, context, body, null, new WebPubSubGroupLeftEvent(context, group(body)));
    };
  }

  private Mono<EventHandlerResponse> notify(
      @Nullable ListenerMethod listener,
      DefaultConnectionContext context,
      byte[] body,
      @Nullable Object parsed,
      WebPubSubEvent event) {
    return invoke(listener, context, body, parsed)
        .then(
            Mono.fromSupplier(
                () -> {
                  this.publisher.publishEvent(event);
                  return EventHandlerResponse.empty(204);
                }));
  }

  private Mono<Object> invoke(
      @Nullable ListenerMethod listener,
      DefaultConnectionContext context,
      byte[] body,
      @Nullable Object parsed) {
    return (listener != null)
        ? listener.invoke(context, body, parsed, this.jsonMapper)
        : Mono.empty();
  }

  private static WebPubSubConnectResponse asConnectResponse(
      Object result, @Nullable ListenerMethod listener) {
    if (result instanceof WebPubSubConnectResponse answer) {
      return answer;
    }
    throw new IllegalStateException(
        "Connect listener "
            + ((listener != null) ? listener.describe() : "")
            + " answered "
            + result.getClass().getName()
            + "; expected WebPubSubConnectResponse");
  }

  private EventHandlerResponse connectAnswer(WebPubSubConnectResponse answer) {
    Map<String, Object> json = new LinkedHashMap<>();
    putIfSet(json, "userId", answer.getUserId());
    putIfSet(json, "groups", answer.getGroups());
    putIfSet(json, "roles", answer.getRoles());
    putIfSet(json, "subprotocol", answer.getSubprotocol());
    if (!answer.getMqttUserProperties().isEmpty()) {
      json.put("mqtt", Map.of("userProperties", userProperties(answer.getMqttUserProperties())));
    }
    if (json.isEmpty()) {
      return EventHandlerResponse.empty(204);
    }
    return new EventHandlerResponse(
        200,
        Map.of(HttpHeaders.CONTENT_TYPE, "application/json"),
        this.jsonMapper.writeValueAsBytes(json));
  }

  /**
   * The failure answer an MQTT client's connect needs: the status and {@code {"mqtt":{"code":..,
   * "reason":.., "userProperties":[..]}}}, the code becoming the client's {@code CONNACK} code.
   */
  private EventHandlerResponse mqttConnectFailure(
      Throwable ex, WebPubSubMqttConnectInfo mqtt, Tags tags) {
    boolean mqtt5 = mqtt.isMqtt5();
    int status;
    Map<String, Object> failure = new LinkedHashMap<>();
    if (ex instanceof WebPubSubMqttConnectRejectedException rejected) {
      status = rejected.getStatusCode();
      failure.put("code", rejected.getCode());
      putIfSet(failure, "reason", rejected.getReason());
      if (!rejected.getUserProperties().isEmpty()) {
        failure.put("userProperties", userProperties(rejected.getUserProperties()));
      }
    } else if (ex instanceof WebPubSubEventRejectedException rejected) {
      status = rejected.getStatusCode();
      int code =
          switch (status) {
            case 400 -> mqtt5 ? 134 : 4;
            case 401, 403 -> mqtt5 ? 135 : 5;
            default -> mqtt5 ? 128 : 3;
          };
      failure.put("code", code);
    } else {
      tags.error = ex;
      logger.error("Web PubSub event listener failed", ex);
      status = 500;
      failure.put("code", mqtt5 ? 128 : 3);
    }
    return new EventHandlerResponse(
        status,
        Map.of(HttpHeaders.CONTENT_TYPE, "application/json"),
        this.jsonMapper.writeValueAsBytes(Map.of("mqtt", failure)));
  }

  private static List<Map<String, String>> userProperties(
      List<WebPubSubMqttUserProperty> properties) {
    return properties.stream()
        .map(
            property -> {
              Map<String, String> json = new LinkedHashMap<>();
              json.put("name", property.name());
              json.put("value", property.value());
              return json;
            })
        .toList();
  }

  private static void putIfSet(Map<String, Object> json, String name, @Nullable Object value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  private EventHandlerResponse reply(Object result) {
    if (result instanceof String text) {
      return EventHandlerResponse.text(200, text);
    }
    if (result instanceof byte[] bytes) {
      return new EventHandlerResponse(
          200, Map.of(HttpHeaders.CONTENT_TYPE, "application/octet-stream"), bytes);
    }
    return new EventHandlerResponse(
        200,
        Map.of(HttpHeaders.CONTENT_TYPE, "application/json"),
        this.jsonMapper.writeValueAsBytes(result));
  }

  private EventHandlerResponse withState(
      DefaultConnectionContext context, EventHandlerResponse answer) {
    if (!context.statesChanged()) {
      return answer;
    }
    Map<String, String> headers = new LinkedHashMap<>(answer.headers());
    headers.put(
        CONNECTION_STATE,
        Base64.getEncoder()
            .encodeToString(this.jsonMapper.writeValueAsBytes(context.currentStates())));
    return new EventHandlerResponse(answer.status(), headers, answer.body());
  }

  private Map<String, Object> readStates(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return Map.of();
    }
    try {
      byte[] json = Base64.getDecoder().decode(header.trim());
      Map<String, Object> states = this.jsonMapper.readValue(json, STATE_TYPE);
      return (states != null) ? states : Map.of();
    } catch (IllegalArgumentException | JacksonException ex) {
      throw new MalformedEventException("ce-connectionState is not base64-encoded JSON object");
    }
  }

  private <T> T parse(byte[] body, Class<T> type, String event) {
    try {
      T value = (body.length == 0) ? null : this.jsonMapper.readValue(body, type);
      if (value == null) {
        throw new MalformedEventException("The " + event + " event body is empty");
      }
      return value;
    } catch (JacksonException ex) {
      throw new MalformedEventException("The " + event + " event body is not valid JSON");
    }
  }

  private String group(byte[] body) {
    try {
      Map<String, Object> json = this.jsonMapper.readValue(body, STATE_TYPE);
      if (json != null && json.get("group") instanceof String group && !group.isEmpty()) {
        return group;
      }
    } catch (JacksonException ex) {
      // answered below
    }
    throw new MalformedEventException("The group event body has no 'group'");
  }

  private static String required(HttpHeaders headers, String name) {
    String value = headers.getFirst(name);
    if (value == null || value.isEmpty()) {
      throw new MalformedEventException("Missing header " + name);
    }
    return value;
  }

  private static Map<String, List<String>> headerMap(HttpHeaders headers) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!lower.equals("ce-signature")) {
            map.put(lower, List.copyOf(values));
          }
        });
    return map;
  }

  private EventHandlerResponse answerFailure(Throwable ex, Tags tags) {
    if (ex instanceof MalformedEventException) {
      return EventHandlerResponse.text(400, String.valueOf(ex.getMessage()));
    }
    if (ex instanceof PayloadTooLargeException) {
      return EventHandlerResponse.text(413, String.valueOf(ex.getMessage()));
    }
    if (ex instanceof WebPubSubEventRejectedException rejected) {
      return EventHandlerResponse.text(rejected.getStatusCode(), String.valueOf(ex.getMessage()));
    }
    if (ex instanceof WebPubSubMqttConnectRejectedException rejected) {
      // thrown for a client that is not an MQTT client: its status, no MQTT body
      return EventHandlerResponse.text(rejected.getStatusCode(), String.valueOf(ex.getMessage()));
    }
    tags.error = ex;
    logger.error("Web PubSub event listener failed", ex);
    return EventHandlerResponse.text(500, tags.failureMessage);
  }

  /** Observation tag values learnt while processing. */
  private static final class Tags {

    String eventType = "unknown";

    String hub = "none";

    /** Body of a 500 answer: no details of the failure, which the client may see. */
    String failureMessage = "Event listener failed";

    @Nullable Throwable error;
  }
}
