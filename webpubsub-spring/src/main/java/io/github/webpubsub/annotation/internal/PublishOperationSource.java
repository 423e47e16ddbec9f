package io.github.webpubsub.annotation.internal;

import io.github.webpubsub.annotation.SendToAll;
import io.github.webpubsub.annotation.SendToConnection;
import io.github.webpubsub.annotation.SendToGroup;
import io.github.webpubsub.annotation.SendToUser;
import io.github.webpubsub.annotation.internal.PublishOperation.Attribute;
import io.github.webpubsub.annotation.internal.PublishOperation.Destination;
import io.github.webpubsub.core.WebPubSubContentType;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotationFilter;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.RepeatableContainers;
import org.springframework.core.env.PropertyResolver;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.ParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the publishing annotations of bean methods and parses them once: placeholders resolved,
 * SpEL compiled, mistakes reported at start-up. A method's own annotations beat its class's.
 */
final class PublishOperationSource {

  static final Set<Class<? extends Annotation>> ANNOTATION_TYPES =
      Set.of(SendToGroup.class, SendToUser.class, SendToConnection.class, SendToAll.class);

  private final PropertyResolver placeholders;

  private final ExpressionParser parser = new SpelExpressionParser();

  private final Map<MethodClassKey, List<PublishOperation>> operations = new ConcurrentHashMap<>();

  private final Map<Class<?>, Boolean> candidates = new ConcurrentHashMap<>();

  PublishOperationSource(PropertyResolver placeholders) {
    this.placeholders = placeholders;
  }

  /**
   * Whether any method of the class publishes. Parses every method of the class, so a mistake in
   * any annotation fails start-up rather than the first call.
   */
  boolean hasOperations(Class<?> targetClass) {
    Class<?> userClass = ClassUtils.getUserClass(targetClass);
    Boolean known = this.candidates.get(userClass);
    if (known != null) {
      return known;
    }
    boolean found = false;
    if (AnnotationUtils.isCandidateClass(userClass, ANNOTATION_TYPES)) {
      for (Method method :
          ReflectionUtils.getUniqueDeclaredMethods(
              userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
        found |= !getOperations(method, userClass).isEmpty();
      }
    }
    this.candidates.put(userClass, found);
    return found;
  }

  /** The operations of a method called on an instance of the class, in declaration order. */
  List<PublishOperation> getOperations(Method method, @Nullable Class<?> targetClass) {
    if (ReflectionUtils.isObjectMethod(method)) {
      return List.of();
    }
    Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : null;
    MethodClassKey key = new MethodClassKey(method, userClass);
    List<PublishOperation> cached = this.operations.get(key);
    if (cached == null) {
      cached = computeOperations(method, userClass);
      this.operations.put(key, cached);
    }
    return cached;
  }

  private List<PublishOperation> computeOperations(Method method, @Nullable Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    List<PublishOperation> found = parse(specific, specific);
    if (found.isEmpty()) {
      found = parseInherited(specific);
    }
    if (!found.isEmpty()) {
      requireInterceptable(specific, found.get(0));
    } else if (appliesClassLevel(specific)) {
      found = parse(specific.getDeclaringClass(), specific);
    }
    if (specific.getReturnType() == void.class) {
      return List.of();
    }
    return List.copyOf(found);
  }

  /**
   * Parses the annotations of the nearest method the given one overrides or implements (superclass
   * or interface) that has any.
   */
  private List<PublishOperation> parseInherited(Method method) {
    List<MergedAnnotation<Annotation>> inherited =
        MergedAnnotations.from(
                method,
                SearchStrategy.TYPE_HIERARCHY,
                RepeatableContainers.standardRepeatables(),
                AnnotationFilter.PLAIN)
            .stream()
            .filter(annotation -> ANNOTATION_TYPES.contains(annotation.getType()))
            .toList();
    if (inherited.isEmpty()) {
      return List.of();
    }
    int nearest = inherited.stream().mapToInt(MergedAnnotation::getAggregateIndex).min().getAsInt();
    return inherited.stream()
        .filter(annotation -> annotation.getAggregateIndex() == nearest)
        .map(annotation -> parse(annotation, method))
        .toList();
  }

  private static boolean appliesClassLevel(Method method) {
    int modifiers = method.getModifiers();
    return Modifier.isPublic(modifiers)
        && !Modifier.isStatic(modifiers)
        && !Modifier.isFinal(modifiers);
  }

  private static void requireInterceptable(Method method, PublishOperation operation) {
    int modifiers = method.getModifiers();
    if (Modifier.isPrivate(modifiers)
        || Modifier.isStatic(modifiers)
        || Modifier.isFinal(modifiers)) {
      throw new IllegalStateException(
          operation.description()
              + ": the method must not be private, static or final, because a proxy cannot"
              + " intercept it");
    }
  }

  /**
   * Parses the publishing annotations declared on an element, direct or meta, in declaration order;
   * repeated annotations sit where the compiler put their container.
   */
  private List<PublishOperation> parse(AnnotatedElement element, Method method) {
    List<PublishOperation> found = new ArrayList<>();
    for (Annotation declared : element.getDeclaredAnnotations()) {
      MergedAnnotations.from(
              element,
              new Annotation[] {declared},
              RepeatableContainers.standardRepeatables(),
              AnnotationFilter.PLAIN)
          .stream()
          .filter(annotation -> ANNOTATION_TYPES.contains(annotation.getType()))
          .forEach(annotation -> found.add(parse(annotation, method)));
    }
    return found;
  }

  private PublishOperation parse(MergedAnnotation<?> merged, Method method) {
    Annotation annotation = merged.synthesize();
    if (annotation instanceof SendToGroup group) {
      return build(
          Destination.GROUP,
          method,
          group.group(),
          group.hub(),
          group.excluded(),
          group.contentType(),
          group.condition());
    }
    if (annotation instanceof SendToUser user) {
      return build(
          Destination.USER,
          method,
          user.userId(),
          user.hub(),
          new String[0],
          user.contentType(),
          user.condition());
    }
    if (annotation instanceof SendToConnection connection) {
      return build(
          Destination.CONNECTION,
          method,
          connection.connectionId(),
          connection.hub(),
          new String[0],
          connection.contentType(),
          connection.condition());
    }
    SendToAll all = (SendToAll) annotation;
    return build(
        Destination.ALL,
        method,
        null,
        all.hub(),
        all.excluded(),
        all.contentType(),
        all.condition());
  }

  private PublishOperation build(
      Destination destination,
      Method method,
      @Nullable String target,
      String hub,
      String[] excluded,
      WebPubSubContentType[] contentType,
      String condition) {
    String description = destination.annotationName() + " on " + describe(method);
    Attribute targetExpression = null;
    if (target != null) {
      String resolved = resolve(description, destination.targetAttribute(), target);
      if (!StringUtils.hasText(resolved)) {
        throw new IllegalStateException(
            description + ": " + destination.targetAttribute() + " must not be empty");
      }
      targetExpression = template(description, destination.targetAttribute(), resolved);
    }
    String resolvedHub = resolve(description, "hub", hub);
    Attribute hubExpression =
        StringUtils.hasText(resolvedHub) ? template(description, "hub", resolvedHub) : null;
    List<Attribute> excludedExpressions = new ArrayList<>();
    for (String id : excluded) {
      String resolved = resolve(description, "excluded", id);
      if (StringUtils.hasText(resolved)) {
        excludedExpressions.add(template(description, "excluded", resolved));
      }
    }
    if (contentType.length > 1) {
      throw new IllegalStateException(
          description + ": contentType takes at most one value but was " + List.of(contentType));
    }
    String resolvedCondition = resolve(description, "condition", condition);
    Attribute conditionExpression = null;
    if (StringUtils.hasText(resolvedCondition)) {
      try {
        conditionExpression =
            new Attribute(
                "condition", resolvedCondition, this.parser.parseExpression(resolvedCondition));
      } catch (ParseException ex) {
        throw invalidExpression(description, "condition", resolvedCondition, ex);
      }
    }
    return new PublishOperation(
        destination,
        description,
        method,
        targetExpression,
        hubExpression,
        List.copyOf(excludedExpressions),
        (contentType.length == 1) ? contentType[0] : null,
        conditionExpression);
  }

  private String resolve(String description, String attribute, String value) {
    try {
      return this.placeholders.resolveRequiredPlaceholders(value);
    } catch (IllegalArgumentException ex) {
      throw new IllegalStateException(
          description
              + ": "
              + attribute
              + " '"
              + value
              + "' has a placeholder that cannot be"
              + " resolved: "
              + ex.getMessage(),
          ex);
    }
  }

  private Attribute template(String description, String attribute, String value) {
    try {
      return new Attribute(
          attribute, value, this.parser.parseExpression(value, ParserContext.TEMPLATE_EXPRESSION));
    } catch (ParseException ex) {
      throw invalidExpression(description, attribute, value, ex);
    }
  }

  private static IllegalStateException invalidExpression(
      String description, String attribute, String value, ParseException ex) {
    return new IllegalStateException(
        description
            + ": "
            + attribute
            + " '"
            + value
            + "' is not a valid SpEL expression: "
            + ex.getMessage(),
        ex);
  }

  static String describe(Method method) {
    StringBuilder description =
        new StringBuilder(ClassUtils.getShortName(method.getDeclaringClass()))
            .append('.')
            .append(method.getName())
            .append('(');
    Class<?>[] parameterTypes = method.getParameterTypes();
    for (int i = 0; i < parameterTypes.length; i++) {
      description.append((i > 0) ? ", " : "").append(parameterTypes[i].getSimpleName());
    }
    return description.append(')').toString();
  }
}
