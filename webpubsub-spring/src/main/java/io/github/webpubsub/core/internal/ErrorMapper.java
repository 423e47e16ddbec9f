package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Turns error answers and transport failures into {@link WebPubSubException}s whose message names
 * the operation, the hub and the host and port the request went to.
 */
final class ErrorMapper {

  private static final int MAX_MESSAGE_CHARS = 1000;

  private static final String[] REQUEST_ID_HEADERS = {
    "x-ms-request-id", "x-request-id", "request-id", "x-ms-client-request-id"
  };

  private ErrorMapper() {}

  static WebPubSubResponseException fromResponse(
      WebPubSubRequest request, URI target, WebPubSubResponse response) {
    String errorCode = response.headers().getFirst("x-ms-error-code");
    String message = null;
    String text = response.bodyAsString().strip();
    if (!text.isEmpty()) {
      if (text.startsWith("{")) {
        try {
          JsonNode json = ReplyJson.readObject(response.body());
          JsonNode nested = json.get("error");
          JsonNode details = (nested != null && nested.isObject()) ? nested : json;
          String code = ReplyJson.text(details, "code");
          if (code != null) {
            errorCode = code;
          }
          message = ReplyJson.text(details, "message");
        } catch (IllegalArgumentException notJson) {
          message = text;
        }
      }
      if (message == null && errorCode == null) {
        message = text;
      }
    }
    StringBuilder description = new StringBuilder(describe(request, target));
    description.append(" failed with status ");
    appendStatus(description, response.statusCode());
    if (errorCode != null) {
      description.append(" [").append(truncate(errorCode)).append(']');
    }
    if (message != null) {
      description.append(": ").append(truncate(message));
    }
    String requestId = requestId(response);
    if (requestId != null) {
      description.append(" (request id ").append(truncate(requestId)).append(')');
    }
    return new WebPubSubResponseException(
        description.toString(), response.statusCode(), errorCode, requestId);
  }

  /** An answer whose body is larger than the template reads. */
  static WebPubSubException tooLarge(
      WebPubSubRequest request, URI target, ReplyTooLargeException tooLarge) {
    StringBuilder description = new StringBuilder(describe(request, target));
    int status = tooLarge.statusCode();
    if (status >= 200 && status < 300) {
      description.append(" answered with status ");
      appendStatus(description, status);
      description.append(" and a body over the limit of ");
      description.append(WebPubSubResponse.MAX_BODY_BYTES).append(" bytes, not read");
      return new WebPubSubException(description.toString(), tooLarge);
    }
    description.append(" failed with status ");
    appendStatus(description, status);
    description.append("; its body, over the limit of ");
    description.append(WebPubSubResponse.MAX_BODY_BYTES).append(" bytes, was not read");
    return new WebPubSubResponseException(description.toString(), status, null, null);
  }

  /** An answer that came with a success status but cannot be read as the operation expects. */
  static WebPubSubException unreadable(
      WebPubSubRequest request,
      URI target,
      WebPubSubResponse response,
      String problem,
      @Nullable Throwable cause) {
    return new WebPubSubException(
        describe(request, target)
            + " answered with status "
            + response.statusCode()
            + " and an unreadable body: "
            + problem,
        cause);
  }

  static WebPubSubRequestException timeout(
      WebPubSubRequest request, URI target, Duration timeout, Throwable cause) {
    return new WebPubSubRequestException(
        describe(request, target)
            + " timed out: no answer within the response timeout of "
            + timeout,
        cause);
  }

  static WebPubSubRequestException transport(
      WebPubSubRequest request, URI target, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new WebPubSubRequestException(
        describe(request, target)
            + " failed: could not reach the service ("
            + root.getClass().getSimpleName()
            + (root.getMessage() != null ? ": " + truncate(root.getMessage()) : "")
            + ")",
        cause);
  }

  /** {@code sendToGroup on hub 'chat' at contoso.webpubsub.azure.com:443}. */
  static String describe(WebPubSubRequest request, URI target) {
    String hub = request.hub();
    return request.operation()
        + ((hub != null) ? " on hub '" + hub + "'" : "")
        + " at "
        + hostAndPort(target);
  }

  /** Host and port of a URL, the scheme's default port when it has none. */
  static String hostAndPort(URI target) {
    String host = target.getHost();
    return ((host != null) ? host : "?") + ":" + port(target);
  }

  /** The port of a URL, the scheme's default when it has none. */
  static int port(URI target) {
    if (target.getPort() >= 0) {
      return target.getPort();
    }
    return "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
  }

  private static void appendStatus(StringBuilder description, int statusCode) {
    description.append(statusCode);
    HttpStatus status = HttpStatus.resolve(statusCode);
    if (status != null) {
      description.append(' ').append(status.getReasonPhrase());
    }
  }

  private static @Nullable String requestId(WebPubSubResponse response) {
    for (String name : REQUEST_ID_HEADERS) {
      String requestId = response.headers().getFirst(name);
      if (requestId != null) {
        return requestId;
      }
    }
    return null;
  }

  private static String truncate(String text) {
    return (text.length() <= MAX_MESSAGE_CHARS)
        ? text
        : text.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
