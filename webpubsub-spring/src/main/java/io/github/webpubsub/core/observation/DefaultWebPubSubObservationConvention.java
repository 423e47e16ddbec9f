package io.github.webpubsub.core.observation;

import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation.HighCardinalityKeyNames;
import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link WebPubSubObservationConvention}: name {@value #NAME}, contextual name {@code
 * webpubsub <operation>}, low-cardinality {@code messaging.system}, {@code
 * messaging.operation.name}, {@code webpubsub.hub}, {@code status}, {@code outcome}, {@code
 * exception}, {@code server.address}, {@code server.port}; high-cardinality {@code
 * webpubsub.group}, {@code webpubsub.user.id}, {@code webpubsub.connection.id} and {@code
 * webpubsub.attempts}. Extend it to add or change key values.
 *
 * @since 0.1.0
 */
public class DefaultWebPubSubObservationConvention implements WebPubSubObservationConvention {

  /** The shared instance. */
  public static final DefaultWebPubSubObservationConvention INSTANCE =
      new DefaultWebPubSubObservationConvention();

  /** Name of the observation, its timer and the prefix of its event counters. */
  public static final String NAME = "webpubsub.client.requests";

  private static final String NONE = "none";

  private static final KeyValue HUB_NONE = KeyValue.of(LowCardinalityKeyNames.HUB, NONE);

  private static final KeyValue STATUS_NONE = KeyValue.of(LowCardinalityKeyNames.STATUS, "NONE");

  private static final KeyValue STATUS_IO_ERROR =
      KeyValue.of(LowCardinalityKeyNames.STATUS, "IO_ERROR");

  private static final KeyValue STATUS_CLIENT_ERROR =
      KeyValue.of(LowCardinalityKeyNames.STATUS, "CLIENT_ERROR");

  private static final KeyValue EXCEPTION_NONE =
      KeyValue.of(LowCardinalityKeyNames.EXCEPTION, NONE);

  private static final KeyValue MESSAGING_SYSTEM =
      KeyValue.of(LowCardinalityKeyNames.MESSAGING_SYSTEM, "webpubsub");

  private static final KeyValue SERVER_ADDRESS_NONE =
      KeyValue.of(LowCardinalityKeyNames.SERVER_ADDRESS, NONE);

  private static final KeyValue SERVER_PORT_NONE =
      KeyValue.of(LowCardinalityKeyNames.SERVER_PORT, NONE);

  /** Most entries kept in each of the caches below (operations x hubs x statuses). */
  private static final int MAX_CACHED = 1024;

  /** {@code webpubsub.attempts} of the first attempts, made once. */
  private static final KeyValue[] ATTEMPTS = new KeyValue[8];

  static {
    for (int i = 0; i < ATTEMPTS.length; i++) {
      ATTEMPTS[i] = KeyValue.of(HighCardinalityKeyNames.ATTEMPTS, Integer.toString(i));
    }
  }

  /**
   * The low-cardinality key values of answered (not failed) operations, computed once per
   * operation, hub, status and endpoint: every send of an application costs the same lookup instead
   * of eight key values, two strings and a sort. Only used by this exact class, since a subclass
   * may compute them from anything.
   */
  private final Map<LowCardinalityKey, KeyValues> answered = new ConcurrentHashMap<>();

  private final Map<String, String> contextualNames = new ConcurrentHashMap<>();

  private final boolean cacheable = getClass() == DefaultWebPubSubObservationConvention.class;

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(WebPubSubObservationContext context) {
    String operation = context.getOperation();
    String name = this.contextualNames.get(operation);
    if (name == null) {
      name = "webpubsub " + operation;
      if (this.contextualNames.size() < MAX_CACHED) {
        this.contextualNames.put(operation, name);
      }
    }
    return name;
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(WebPubSubObservationContext context) {
    if (!this.cacheable || failure(context) != null) {
      return lowCardinalityKeyValues(context);
    }
    LowCardinalityKey key =
        new LowCardinalityKey(
            context.getOperation(),
            context.getHub(),
            context.getStatusCode(),
            context.getEndpoint());
    KeyValues values = this.answered.get(key);
    if (values == null) {
      values = lowCardinalityKeyValues(context);
      if (this.answered.size() < MAX_CACHED) {
        this.answered.put(key, values);
      }
    }
    return values;
  }

  /**
   * What makes the low-cardinality key values of an operation without failure. Its equality is
   * written out, the same instance of endpoint first (each template passes its own on every send).
   */
  private record LowCardinalityKey(
      String operation, @Nullable String hub, int status, @Nullable URI endpoint) {

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof LowCardinalityKey key
          && this.status == key.status
          && this.operation.equals(key.operation)
          && Objects.equals(this.hub, key.hub)
          && (this.endpoint == key.endpoint || Objects.equals(this.endpoint, key.endpoint));
    }

    @Override
    public int hashCode() {
      int hash = this.operation.hashCode();
      hash = 31 * hash + Objects.hashCode(this.hub);
      hash = 31 * hash + this.status;
      return 31 * hash + Objects.hashCode(this.endpoint);
    }
  }

  /** High-cardinality key values made for a number of attempts. */
  record HighCardinality(int attempts, KeyValues values) {}

  private KeyValues lowCardinalityKeyValues(WebPubSubObservationContext context) {
    return KeyValues.of(
        MESSAGING_SYSTEM,
        operation(context),
        hub(context),
        status(context),
        outcome(context),
        exception(context),
        serverAddress(context),
        serverPort(context));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(WebPubSubObservationContext context) {
    int attempts = context.getAttempts();
    if (this.cacheable) {
      // Made at the start and asked again at the stop: the same unless the operation was retried.
      HighCardinality made = context.highCardinality;
      if (made != null && made.attempts() == attempts) {
        return made.values();
      }
    }
    KeyValues values = highCardinalityKeyValues(context, attempts);
    if (this.cacheable) {
      context.highCardinality = new HighCardinality(attempts, values);
    }
    return values;
  }

  private static KeyValues highCardinalityKeyValues(
      WebPubSubObservationContext context, int attempts) {
    KeyValue attemptsValue =
        (attempts >= 0 && attempts < ATTEMPTS.length)
            ? ATTEMPTS[attempts]
            : KeyValue.of(HighCardinalityKeyNames.ATTEMPTS, Integer.toString(attempts));
    String group = context.getGroup();
    String userId = context.getUserId();
    String connectionId = context.getConnectionId();
    int count =
        1
            + ((group != null) ? 1 : 0)
            + ((userId != null) ? 1 : 0)
            + ((connectionId != null) ? 1 : 0);
    // One array, not a KeyValues per added value, in key order (attempts, connection.id, group,
    // user.id) so that KeyValues need not sort it.
    KeyValue[] values = new KeyValue[count];
    int i = 0;
    values[i++] = attemptsValue;
    if (connectionId != null) {
      values[i++] = KeyValue.of(HighCardinalityKeyNames.CONNECTION_ID, connectionId);
    }
    if (group != null) {
      values[i++] = KeyValue.of(HighCardinalityKeyNames.GROUP, group);
    }
    if (userId != null) {
      values[i] = KeyValue.of(HighCardinalityKeyNames.USER_ID, userId);
    }
    return KeyValues.of(values);
  }

  /** The {@code operation} key value. */
  protected KeyValue operation(WebPubSubObservationContext context) {
    return KeyValue.of(LowCardinalityKeyNames.OPERATION, context.getOperation());
  }

  /** The {@code hub} key value. */
  protected KeyValue hub(WebPubSubObservationContext context) {
    String hub = context.getHub();
    return (hub != null) ? KeyValue.of(LowCardinalityKeyNames.HUB, hub) : HUB_NONE;
  }

  /** The {@code status} key value. */
  protected KeyValue status(WebPubSubObservationContext context) {
    int status = context.getStatusCode();
    if (status > 0) {
      return KeyValue.of(LowCardinalityKeyNames.STATUS, Integer.toString(status));
    }
    Throwable failure = failure(context);
    if (failure == null) {
      return STATUS_NONE;
    }
    return context.isNoAnswer() ? STATUS_IO_ERROR : STATUS_CLIENT_ERROR;
  }

  /** The {@code outcome} key value, from the class of the status as Spring's HTTP clients do. */
  protected KeyValue outcome(WebPubSubObservationContext context) {
    int status = context.getStatusCode();
    String outcome =
        switch (status / 100) {
          case 1 -> "INFORMATIONAL";
          case 2 -> "SUCCESS";
          case 3 -> "REDIRECTION";
          case 4 -> "CLIENT_ERROR";
          case 5 -> "SERVER_ERROR";
          default -> "UNKNOWN";
        };
    return KeyValue.of(LowCardinalityKeyNames.OUTCOME, outcome);
  }

  /**
   * The {@code exception} key value.
   *
   * @param context the context
   * @return the key value
   */
  protected KeyValue exception(WebPubSubObservationContext context) {
    Throwable failure = failure(context);
    if (failure == null) {
      return EXCEPTION_NONE;
    }
    Throwable named =
        (context.isNoAnswer() && failure.getCause() != null) ? failure.getCause() : failure;
    String name = named.getClass().getSimpleName();
    return KeyValue.of(
        LowCardinalityKeyNames.EXCEPTION, name.isEmpty() ? named.getClass().getName() : name);
  }

  /**
   * The {@code server.address} key value.
   *
   * @param context the context
   * @return the key value
   */
  protected KeyValue serverAddress(WebPubSubObservationContext context) {
    URI endpoint = context.getEndpoint();
    String host = (endpoint != null) ? endpoint.getHost() : null;
    return (host != null)
        ? KeyValue.of(LowCardinalityKeyNames.SERVER_ADDRESS, host)
        : SERVER_ADDRESS_NONE;
  }

  /**
   * The {@code server.port} key value.
   *
   * @param context the context
   * @return the key value
   */
  protected KeyValue serverPort(WebPubSubObservationContext context) {
    URI endpoint = context.getEndpoint();
    if (endpoint == null) {
      return SERVER_PORT_NONE;
    }
    int port = endpoint.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }
    return KeyValue.of(LowCardinalityKeyNames.SERVER_PORT, Integer.toString(port));
  }

  private static @Nullable Throwable failure(WebPubSubObservationContext context) {
    Throwable failure = context.getFailure();
    return (failure != null) ? failure : context.getError();
  }
}
