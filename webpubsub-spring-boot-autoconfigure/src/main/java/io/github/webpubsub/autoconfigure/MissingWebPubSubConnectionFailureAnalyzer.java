package io.github.webpubsub.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains that no Web PubSub service is configured and how to configure one. */
class MissingWebPubSubConnectionFailureAnalyzer
    extends AbstractFailureAnalyzer<MissingWebPubSubConnectionException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, MissingWebPubSubConnectionException cause) {
    String description =
        "Azure Web PubSub is not configured: neither 'webpubsub.connection-string' nor"
            + " 'webpubsub.endpoint' is set.";
    String action =
        """
        Set the connection string the Azure portal shows (Keys blade) and the default hub:

            webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com;AccessKey=<key>;Version=1.0;
            webpubsub.hub=chat

        or 'webpubsub.endpoint' with 'webpubsub.access-key', or 'webpubsub.endpoint' alone with \
        com.azure:azure-identity on the classpath (or a WebPubSubTokenProvider bean) for Microsoft \
        Entra ID. For local development, run the emulator (module webpubsub-emulator) and use the \
        connection string it prints.
        """;
    return new FailureAnalysis(description, action, cause);
  }
}
