package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The service's role strings: exact, per group, and the wildcard forms. */
class PermissionsTests {

  static final String SEND = "webpubsub.sendToGroup";

  @Test
  void restPermissionNamesMapToRolePrefixesIgnoringCase() {
    assertThat(Permissions.rolePrefix("sendToGroup")).isEqualTo("webpubsub.sendToGroup");
    assertThat(Permissions.rolePrefix("JOINLEAVEGROUP")).isEqualTo("webpubsub.joinLeaveGroup");
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Permissions.rolePrefix("admin"))
        .withMessage("Invalid permission 'admin': use sendToGroup or joinLeaveGroup")
        .satisfies(error -> assertThat(error.status()).isEqualTo(400));
  }

  @Test
  void theBareRoleAllowsEveryGroupAndAGroupRoleOnlyItsGroup() {
    assertThat(Permissions.allows(Set.of(SEND), SEND, "any")).isTrue();
    assertThat(Permissions.allows(Set.of(SEND + ".room1"), SEND, "room1")).isTrue();
    assertThat(Permissions.allows(Set.of(SEND + ".room1"), SEND, "room2")).isFalse();
    assertThat(Permissions.allows(Set.of("webpubsub.joinLeaveGroup"), SEND, "room1")).isFalse();
    assertThat(Permissions.allows(Set.of(), SEND, "room1")).isFalse();
  }

  @Test
  void aSingleStarMatchesWithinOneDotSeparatedPart() {
    Set<String> roles = Set.of(SEND + "s.room*");

    assertThat(Permissions.allows(roles, SEND, "room")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "room42")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "room.42")).isFalse();
    assertThat(Permissions.allows(roles, SEND, "lobby")).isFalse();
  }

  @Test
  void aDoubleStarMatchesAcrossParts() {
    Set<String> roles = Set.of(SEND + "s.a.**");

    assertThat(Permissions.allows(roles, SEND, "a.b.c")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "a.")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "b.c")).isFalse();
  }

  @Test
  void aQuestionMarkMatchesOneCharacterThatIsNotADot() {
    Set<String> roles = Set.of(SEND + "s.g?");

    assertThat(Permissions.allows(roles, SEND, "g1")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "g")).isFalse();
    assertThat(Permissions.allows(roles, SEND, "g12")).isFalse();
    assertThat(Permissions.allows(roles, SEND, "g.")).isFalse();
  }

  @Test
  void aBackslashMakesTheNextCharacterLiteral() {
    Set<String> roles = Set.of(SEND + "s.a\\*b");

    assertThat(Permissions.allows(roles, SEND, "a*b")).isTrue();
    assertThat(Permissions.allows(roles, SEND, "axb")).isFalse();
    // A trailing backslash has nothing to escape: it is a literal backslash.
    assertThat(Permissions.allows(Set.of(SEND + "s.a\\"), SEND, "a\\")).isTrue();
    // A star at the very end is a single star.
    assertThat(Permissions.allows(Set.of(SEND + "s.a*"), SEND, "ab.c")).isFalse();
  }

  @Test
  void regexCharactersInPatternsAreLiteral() {
    assertThat(Permissions.allows(Set.of(SEND + "s.a+b"), SEND, "a+b")).isTrue();
    assertThat(Permissions.allows(Set.of(SEND + "s.a+b"), SEND, "aab")).isFalse();
  }

  @Test
  void wildcardRolesOfAnotherPermissionDoNotApply() {
    assertThat(Permissions.allows(Set.of("webpubsub.joinLeaveGroups.**"), SEND, "g")).isFalse();
  }
}
