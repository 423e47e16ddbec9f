package io.github.webpubsub.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The cost of producing one REST token ({@code aud} = a send URL, {@code exp} = now + 1 h) on one
 * thread, per way of signing: nanoseconds and bytes allocated per token, medians over rounds. Every
 * signer's token is first checked with {@link JwtVerifier}.
 */
final class JwtSigningBenchmark {

  /** Median cost of one token for one signer. */
  record Cost(String signer, double nanosPerToken, double bytesPerToken) {}

  private final Map<String, Supplier<String>> signers = new LinkedHashMap<>();

  private final AllocationMeter allocation;

  private final String audience;

  private final JwtVerifier verifier;

  private long sink;

  JwtSigningBenchmark(AllocationMeter allocation, String accessKey, String audience) {
    this.allocation = allocation;
    this.audience = audience;
    this.verifier = new JwtVerifier(accessKey, Clock.systemUTC());
    byte[] keyBytes = accessKey.getBytes(StandardCharsets.UTF_8);
    Hs256Jwt mac = new Hs256Jwt(accessKey);
    this.signers.put(
        "re-used javax.crypto.Mac, hand-built JSON",
        () -> mac.sign(audience, Instant.now().getEpochSecond() + 3600));
    JwtEncoder spring =
        NimbusJwtEncoder.withSecretKey(new SecretKeySpec(keyBytes, "HmacSHA256"))
            .algorithm(MacAlgorithm.HS256)
            .build();
    this.signers.put(
        "Spring Security NimbusJwtEncoder (re-used)",
        () ->
            spring
                .encode(
                    JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                            .audience(List.of(audience))
                            .expiresAt(Instant.now().plusSeconds(3600))
                            .build()))
                .getTokenValue());
    this.signers.put(
        "Azure SDK way: new MACSigner + SignedJWT per token",
        () -> {
          try {
            JWTClaimsSet claims =
                new JWTClaimsSet.Builder()
                    .audience(audience)
                    .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(keyBytes));
            return jwt.serialize();
          } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
          }
        });
  }

  /** Adds another way of obtaining a token, e.g. a cache hit. */
  void add(String name, Supplier<String> signer) {
    this.signers.put(name, signer);
  }

  List<Cost> run(int warmupTokens, int rounds, int tokensPerRound) {
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    this.signers.forEach(
        (name, signer) -> {
          JwtVerifier.Result result = this.verifier.verify("Bearer " + signer.get(), this.audience);
          if (result.problem() != null) {
            throw new IllegalStateException(
                name + " produced a token the server rejects: " + result.problem());
          }
          measure(signer, warmupTokens);
          samples.put(name, new ArrayList<>());
        });
    for (int round = 0; round < rounds; round++) {
      this.signers.forEach(
          (name, signer) ->
              samples
                  .computeIfAbsent(name, (key) -> new ArrayList<>())
                  .add(measure(signer, tokensPerRound)));
    }
    List<Cost> costs = new ArrayList<>();
    samples.forEach(
        (name, rows) ->
            costs.add(
                new Cost(
                    name,
                    Stats.median(rows.stream().mapToDouble(r -> r[0]).toArray()),
                    Stats.median(rows.stream().mapToDouble(r -> r[1]).toArray()))));
    if (this.sink == 42) {
      System.out.println("(sink)");
    }
    return costs;
  }

  private double[] measure(Supplier<String> signer, int tokens) {
    long allocatedBefore = this.allocation.currentThread();
    long start = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < tokens; i++) {
      sink += signer.get().length();
    }
    long elapsed = System.nanoTime() - start;
    long allocated = this.allocation.currentThread() - allocatedBefore;
    this.sink += sink;
    return new double[] {(double) elapsed / tokens, (double) allocated / tokens};
  }
}
