package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.core.WebPubSubContentType;
import java.lang.reflect.Method;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;
import org.springframework.expression.common.LiteralExpression;

/**
 * One publishing annotation, parsed once at start-up: where to send, with its expressions already
 * compiled.
 *
 * @param destination what kind of target the annotation sends to
 * @param description the annotation and the method it is on, for error messages and logs
 * @param method the annotated method on the bean's class (its parameter names feed SpEL)
 * @param target group, user or connection id; {@code null} for {@link Destination#ALL}
 * @param hub hub name, or {@code null} for the default hub
 * @param excluded connection ids to exclude, each yielding one id, several or none
 * @param contentType explicit content type, or {@code null} to infer it from the value
 * @param condition whether to publish, or {@code null} to always publish
 */
record PublishOperation(
    Destination destination,
    String description,
    Method method,
    @Nullable Attribute target,
    @Nullable Attribute hub,
    List<Attribute> excluded,
    @Nullable WebPubSubContentType contentType,
    @Nullable Attribute condition) {

  /**
   * An attribute's parsed expression with its text as written (placeholders resolved), for error
   * messages.
   */
  record Attribute(String name, String text, Expression expression) {

    boolean isLiteral() {
      return this.expression instanceof LiteralExpression;
    }
  }

  /** The four kinds of target, with the annotation's name and its target attribute. */
  enum Destination {
    ALL("@SendToAll", "hub"),
    GROUP("@SendToGroup", "group"),
    USER("@SendToUser", "userId"),
    CONNECTION("@SendToConnection", "connectionId");

    private final String annotationName;

    private final String targetAttribute;

    Destination(String annotationName, String targetAttribute) {
      this.annotationName = annotationName;
      this.targetAttribute = targetAttribute;
    }

    String annotationName() {
      return this.annotationName;
    }

    String targetAttribute() {
      return this.targetAttribute;
    }
  }
}
