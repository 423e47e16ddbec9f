package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the OData filter parser: any text either parses into a filter that evaluates for any
 * connection, or is refused with a 400 {@link ServiceError} naming the filter. The build replays
 * the seeds in {@code FilterFuzzTestsInputs}; {@code scripts/fuzz.sh} fuzzes.
 */
class FilterFuzzTests {

  private static final Filter.Subject ALICE =
      new Subject("user'1", "c1", Set.of("group1", "team.a"), "json.webpubsub.azure.v1");

  private static final Filter.Subject ANONYMOUS = new Subject(null, "c2", Set.of(), null);

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void parseEitherRefusesWith400OrEvaluates(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Filter filter;
    try {
      filter = Filter.parse(text);
    } catch (ServiceError refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.target()).isEqualTo("filter");
      return;
    }
    filter.matches(ALICE);
    filter.matches(ANONYMOUS);
  }

  // A class rather than a record: under Jazzer's instrumentation a test record's constructor
  // failed with NoSuchFieldError.
  private static final class Subject implements Filter.Subject {

    private final @Nullable String userId;

    private final String connectionId;

    private final Set<String> groups;

    private final @Nullable String protocol;

    Subject(
        @Nullable String userId,
        String connectionId,
        Set<String> groups,
        @Nullable String protocol) {
      this.userId = userId;
      this.connectionId = connectionId;
      this.groups = groups;
      this.protocol = protocol;
    }

    @Override
    public @Nullable String userId() {
      return this.userId;
    }

    @Override
    public String connectionId() {
      return this.connectionId;
    }

    @Override
    public Set<String> groups() {
      return this.groups;
    }

    @Override
    public @Nullable String protocol() {
      return this.protocol;
    }
  }
}
