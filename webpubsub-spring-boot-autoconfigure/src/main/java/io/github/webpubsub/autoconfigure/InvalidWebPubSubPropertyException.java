package io.github.webpubsub.autoconfigure;

/**
 * A {@code webpubsub.*} property has a value the starter cannot use. The message names the property
 * and the rule; it never contains an access key.
 *
 * @since 0.1.0
 */
public class InvalidWebPubSubPropertyException extends RuntimeException {

  private final String property;

  private final String example;

  /**
   * Creates an exception for a property.
   *
   * @param property the property to fix, e.g. {@code webpubsub.hub}
   * @param problem what is wrong, phrased to follow the property name
   * @param example a valid value (never a real key)
   */
  public InvalidWebPubSubPropertyException(String property, String problem, String example) {
    super("Property '" + property + "' " + problem);
    this.property = property;
    this.example = example;
  }

  /** The property to fix. */
  public String getProperty() {
    return this.property;
  }

  /** A valid example value. */
  public String getExample() {
    return this.example;
  }

  /**
   * The library's rule as the problem of a property: its message without the leading argument name
   * ({@code "hub must start with ..."} becomes {@code "must start with ..."}).
   */
  static String problem(String argument, IllegalArgumentException ex) {
    String message = String.valueOf(ex.getMessage());
    return message.startsWith(argument + " ") ? message.substring(argument.length() + 1) : message;
  }
}
