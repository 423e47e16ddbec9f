package io.github.webpubsub.core.observation;

import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation.HighCardinalityKeyNames;
import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.net.URI;
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

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(WebPubSubObservationContext context) {
    return "webpubsub " + context.getOperation();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(WebPubSubObservationContext context) {
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
    KeyValues values =
        KeyValues.of(
            KeyValue.of(HighCardinalityKeyNames.ATTEMPTS, Integer.toString(context.getAttempts())));
    if (context.getGroup() != null) {
      values = values.and(KeyValue.of(HighCardinalityKeyNames.GROUP, context.getGroup()));
    }
    if (context.getUserId() != null) {
      values = values.and(KeyValue.of(HighCardinalityKeyNames.USER_ID, context.getUserId()));
    }
    if (context.getConnectionId() != null) {
      values =
          values.and(KeyValue.of(HighCardinalityKeyNames.CONNECTION_ID, context.getConnectionId()));
    }
    return values;
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
