package io.github.webpubsub.core.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the service's JSON answers (error details, tokens, pages) and writes its JSON request
 * bodies (bulk group membership) with a private Jackson mapper, independent of how the application
 * configured its own. Read constraints bound what a hostile or broken answer can cost: nesting
 * depth, string and number length, document size.
 */
final class ReplyJson {

  /** Deepest nesting read; the service's answers nest three levels at most. */
  static final int MAX_NESTING_DEPTH = 32;

  /** Longest string value read (a token, a message), in characters. */
  static final int MAX_STRING_LENGTH = 256 * 1024;

  /** Longest number read, in characters. */
  static final int MAX_NUMBER_LENGTH = 32;

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .maxDocumentLength(WebPubSubResponse.MAX_BODY_BYTES)
                          .build())
                  .build())
          .build();

  private ReplyJson() {}

  /**
   * Reads an answer that must be a JSON object.
   *
   * @param body the answer's bytes
   * @return the object
   * @throws IllegalArgumentException when the body is not a JSON object or breaks a read limit
   */
  static JsonNode readObject(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JacksonException ex) {
      throw new IllegalArgumentException(
          "not readable as JSON (" + firstLine(ex.getOriginalMessage()) + ")", ex);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node;
  }

  /** The text of a string property, or {@code null} when absent or not a string. */
  static @Nullable String text(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return (value != null && value.isString()) ? value.stringValue() : null;
  }

  /**
   * Writes the body of a bulk group-membership request.
   *
   * @param groups the group names
   * @param filter the OData filter, or {@code null}
   * @return the JSON bytes
   */
  static byte[] groupsBody(Collection<String> groups, @Nullable String filter) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("groups", List.copyOf(groups));
    if (filter != null) {
      body.put("filter", filter);
    }
    return MAPPER.writeValueAsBytes(body);
  }

  /** The first line of a parser's message, at most 200 characters, for an error message. */
  static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    String line = (end >= 0) ? message.substring(0, end) : message;
    return (line.length() > 200) ? line.substring(0, 200) + "..." : line;
  }
}
