package io.github.webpubsub.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@code webpubsub.*} property with an unusable value and shows a valid one. */
class InvalidWebPubSubPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidWebPubSubPropertyException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, InvalidWebPubSubPropertyException cause) {
    String description = "Azure Web PubSub cannot start: " + cause.getMessage() + ".";
    String action =
        "Fix the property '"
            + cause.getProperty()
            + "' in your configuration, for example:\n\n    "
            + (cause.getExample().startsWith(cause.getProperty())
                ? cause.getExample()
                : cause.getProperty() + "=" + cause.getExample())
            + "\n";
    return new FailureAnalysis(description, action, cause);
  }
}
