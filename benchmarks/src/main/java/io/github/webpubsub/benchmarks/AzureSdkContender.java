package io.github.webpubsub.benchmarks;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.messaging.webpubsub.WebPubSubServiceAsyncClient;
import com.azure.messaging.webpubsub.WebPubSubServiceClientBuilder;
import com.azure.messaging.webpubsub.models.WebPubSubContentType;
import java.net.URI;
import reactor.core.publisher.Mono;

/**
 * Microsoft's {@code azure-messaging-webpubsub} async client with its defaults
 * (azure-core-http-netty, retry policy, a JWT signed per request by its authentication policy).
 */
final class AzureSdkContender implements Contender {

  static final String NAME = "Azure SDK 1.4.0";

  private final WebPubSubServiceAsyncClient client;

  AzureSdkContender(URI endpoint, String hub, String accessKey) {
    this.client =
        new WebPubSubServiceClientBuilder()
            .endpoint(endpoint.toString())
            .credential(new AzureKeyCredential(accessKey))
            .hub(hub)
            .buildAsyncClient();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Mono<Void> send(String group, String message) {
    return this.client.sendToGroup(group, message, WebPubSubContentType.TEXT_PLAIN);
  }
}
