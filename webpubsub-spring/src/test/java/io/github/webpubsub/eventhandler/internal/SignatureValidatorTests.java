package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureValidatorTests {

  private static final String KEY = "7aab239577fd4f24bc919802fb629f5f";

  private static final String CONNECTION_ID = "0f9c97a2f0bf4706afe87a14e0797b11";

  private static final String VECTOR =
      "sha256=7767effcb3946f3e1de039df4b986ef02c110b1469d02c0a06f41b3b727ab561";

  @Test
  void signatureOfTheReferenceTestVectorMatches() {
    assertThat(SignatureValidator.signature(KEY, CONNECTION_ID)).isEqualTo(VECTOR);
    assertThat(SignatureValidator.isValid(VECTOR, CONNECTION_ID, List.of(KEY))).isTrue();
  }

  @Test
  void upperCaseHexAndPrefixAreAccepted() {
    assertThat(SignatureValidator.isValid(VECTOR.toUpperCase(), CONNECTION_ID, List.of(KEY)))
        .isTrue();
  }

  @Test
  void anyEntryOfACommaSeparatedListMayMatchAnyKey() {
    String header = "sha256=" + "ab".repeat(32) + " , " + VECTOR;
    assertThat(SignatureValidator.isValid(header, CONNECTION_ID, List.of("primary-key", KEY)))
        .isTrue();
  }

  @Test
  void signatureOfAnotherConnectionIdIsRejected() {
    assertThat(SignatureValidator.isValid(VECTOR, "another", List.of(KEY))).isFalse();
  }

  @Test
  void signatureWithAnotherKeyIsRejected() {
    assertThat(SignatureValidator.isValid(VECTOR, CONNECTION_ID, List.of("other-key"))).isFalse();
  }

  @Test
  void malformedEntriesAreRejected() {
    assertThat(SignatureValidator.isValid("sha256=zz", CONNECTION_ID, List.of(KEY))).isFalse();
    assertThat(SignatureValidator.isValid(VECTOR.substring(7), CONNECTION_ID, List.of(KEY)))
        .isFalse();
    assertThat(
            SignatureValidator.isValid(
                "sha1=" + VECTOR.substring(7) + "ab", CONNECTION_ID, List.of(KEY)))
        .isFalse();
  }

  @Test
  void missingHeaderConnectionIdOrKeysAreRejected() {
    assertThat(SignatureValidator.isValid(null, CONNECTION_ID, List.of(KEY))).isFalse();
    assertThat(SignatureValidator.isValid(VECTOR, null, List.of(KEY))).isFalse();
    assertThat(SignatureValidator.isValid(VECTOR, CONNECTION_ID, List.of())).isFalse();
  }
}
