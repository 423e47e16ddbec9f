package io.github.webpubsub.autoconfigure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Supplier;
import org.springframework.util.function.SingletonSupplier;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens for Microsoft Entra ID from an Azure {@link TokenCredential}, scope {@value
 * #SCOPE}. A token is reused until five minutes before it expires. Loaded only when {@code
 * com.azure:azure-identity} is on the classpath.
 */
final class AzureIdentityTokenProvider implements WebPubSubTokenProvider {

  static final String SCOPE = "https://webpubsub.azure.com/.default";

  private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

  private final Mono<AccessToken> token;

  AzureIdentityTokenProvider(Supplier<TokenCredential> credential) {
    TokenRequestContext context = new TokenRequestContext().addScopes(SCOPE);
    Supplier<TokenCredential> once = SingletonSupplier.of(credential);
    this.token =
        Mono.defer(() -> once.get().getToken(context))
            .cacheInvalidateIf(
                cached ->
                    cached
                        .getExpiresAt()
                        .isBefore(OffsetDateTime.now().plus(REFRESH_BEFORE_EXPIRY)));
  }

  /**
   * A provider over Azure's default credential chain, built on first use so that an application
   * that signs with an access key never touches it.
   */
  static AzureIdentityTokenProvider withDefaultCredential() {
    return new AzureIdentityTokenProvider(() -> new DefaultAzureCredentialBuilder().build());
  }

  @Override
  public Mono<String> getToken() {
    return this.token.map(AccessToken::getToken);
  }

  @Override
  public String toString() {
    return "AzureIdentityTokenProvider[scope=" + SCOPE + "]";
  }
}
