package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** Turns error answers and transport failures into {@link WebPubSubException}s. */
final class ErrorMapper {

  private static final int MAX_MESSAGE_CHARS = 1000;

  private static final String[] REQUEST_ID_HEADERS = {
    "x-ms-request-id", "x-request-id", "request-id", "x-ms-client-request-id"
  };

  private ErrorMapper() {}

  static WebPubSubException fromResponse(WebPubSubRequest request, WebPubSubResponse response) {
    String errorCode = response.headers().getFirst("x-ms-error-code");
    String message = null;
    String text = response.bodyAsString().strip();
    if (!text.isEmpty()) {
      if (text.startsWith("{")) {
        try {
          if (Json.parse(text) instanceof Map<?, ?> map) {
            Object error = map.get("error");
            Map<?, ?> details = (error instanceof Map<?, ?> nested) ? nested : map;
            if (details.get("code") instanceof String code) {
              errorCode = code;
            }
            if (details.get("message") instanceof String parsed) {
              message = parsed;
            }
          }
        } catch (IllegalArgumentException notJson) {
          message = text;
        }
      }
      if (message == null && errorCode == null) {
        message = text;
      }
    }
    String requestId = null;
    for (String name : REQUEST_ID_HEADERS) {
      requestId = response.headers().getFirst(name);
      if (requestId != null) {
        break;
      }
    }
    StringBuilder description = new StringBuilder(describe(request));
    description.append(" failed with status ").append(response.statusCode());
    HttpStatus status = HttpStatus.resolve(response.statusCode());
    if (status != null) {
      description.append(' ').append(status.getReasonPhrase());
    }
    if (errorCode != null) {
      description.append(" [").append(errorCode).append(']');
    }
    if (message != null) {
      description.append(": ").append(truncate(message));
    }
    if (requestId != null) {
      description.append(" (request id ").append(requestId).append(')');
    }
    return new WebPubSubException(
        description.toString(), response.statusCode(), errorCode, requestId, null);
  }

  static WebPubSubException timeout(WebPubSubRequest request, Duration timeout, Throwable cause) {
    return new WebPubSubException(
        describe(request) + " timed out: no answer within the response timeout of " + timeout,
        0,
        null,
        null,
        cause);
  }

  static WebPubSubException transport(WebPubSubRequest request, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new WebPubSubException(
        describe(request)
            + " failed: could not reach the service ("
            + root.getClass().getSimpleName()
            + (root.getMessage() != null ? ": " + truncate(root.getMessage()) : "")
            + ")",
        0,
        null,
        null,
        cause);
  }

  static String describe(WebPubSubRequest request) {
    @Nullable String hub = request.hub();
    return request.operation() + ((hub != null) ? " on hub '" + hub + "'" : "");
  }

  private static String truncate(String text) {
    return (text.length() <= MAX_MESSAGE_CHARS)
        ? text
        : text.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
