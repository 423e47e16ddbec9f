package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The option and settings classes: the limits of their values on both sides, what they refuse, and
 * their equality and text form.
 */
class OptionsBoundaryTests {

  // ---- SendOptions ----

  @Test
  void ttlOfZeroAndOf300SecondsIsAccepted() {
    assertThat(SendOptions.defaults().messageTtlSeconds(0).getMessageTtlSeconds()).isZero();
    assertThat(SendOptions.defaults().messageTtlSeconds(300).getMessageTtlSeconds()).isEqualTo(300);
  }

  @Test
  void sendOptionsKeepWhatEachStepSets() {
    SendOptions options =
        SendOptions.defaults()
            .excluding("c1")
            .filter(ODataFilter.userId().ne("bot"))
            .messageTtlSeconds(30)
            .contentType(WebPubSubContentType.TEXT)
            .excluding(List.of("c2"));

    assertThat(options.getExcluded()).containsExactly("c1", "c2");
    assertThat(options.getFilter()).isEqualTo("userId ne 'bot'");
    assertThat(options.getMessageTtlSeconds()).isEqualTo(30);
    assertThat(options.getContentType()).isEqualTo(WebPubSubContentType.TEXT);
    assertThat(SendOptions.defaults().getExcluded()).isEmpty();
    assertThat(SendOptions.defaults().getFilter()).isNull();
    assertThat(SendOptions.defaults().getMessageTtlSeconds()).isNull();
    assertThat(SendOptions.defaults().getContentType()).isNull();
  }

  @Test
  void sendOptionsAreEqualWhenEveryPartIsEqual() {
    SendOptions options =
        SendOptions.defaults()
            .excluding("c1")
            .filter("userId eq 'a'")
            .messageTtlSeconds(10)
            .contentType(WebPubSubContentType.JSON);
    SendOptions same =
        SendOptions.defaults()
            .contentType(WebPubSubContentType.JSON)
            .messageTtlSeconds(10)
            .filter("userId eq 'a'")
            .excluding("c1");

    assertThat(options).isEqualTo(same).hasSameHashCodeAs(same).isEqualTo(options);
    assertThat(options)
        .isNotEqualTo(same.excluding("c2"))
        .isNotEqualTo(same.filter("userId eq 'b'"))
        .isNotEqualTo(same.messageTtlSeconds(11))
        .isNotEqualTo(same.contentType(WebPubSubContentType.TEXT))
        .isNotEqualTo(null)
        .isNotEqualTo("SendOptions");
    assertThat(SendOptions.defaults()).isEqualTo(SendOptions.defaults().filter((String) null));
    // the hash follows the parts, so that different options spread in hash-based collections
    assertThat(options)
        .doesNotHaveSameHashCodeAs(same.excluding("c2"))
        .doesNotHaveSameHashCodeAs(SendOptions.defaults());
  }

  @Test
  void closeOptionsAreEqualWhenEveryPartIs() {
    CloseOptions options = CloseOptions.defaults().excluding("c1").reason("maintenance");
    CloseOptions same = CloseOptions.defaults().reason("maintenance").excluding("c1");

    assertThat(options).isEqualTo(same).hasSameHashCodeAs(same).isEqualTo(options);
    assertThat(options)
        .isNotEqualTo(same.excluding("c2"))
        .isNotEqualTo(same.reason("other"))
        .isNotEqualTo(same.reason(null))
        .isNotEqualTo(null)
        .isNotEqualTo("CloseOptions");
    assertThat(CloseOptions.defaults()).isEqualTo(CloseOptions.defaults().reason(null));
    assertThat(options)
        .doesNotHaveSameHashCodeAs(same.excluding("c2"))
        .doesNotHaveSameHashCodeAs(CloseOptions.defaults());
  }

  @Test
  void clientAccessOptionsAreEqualWhenEveryPartIs() {
    ClientAccessOptions options =
        ClientAccessOptions.forUser("alice")
            .roles("webpubsub.joinLeaveGroup")
            .groups("room1")
            .expiresAfter(Duration.ofMinutes(5))
            .protocol(WebPubSubClientProtocol.MQTT);
    ClientAccessOptions same =
        ClientAccessOptions.defaults()
            .protocol(WebPubSubClientProtocol.MQTT)
            .expiresAfter(Duration.ofMinutes(5))
            .groups("room1")
            .roles("webpubsub.joinLeaveGroup")
            .userId("alice");

    assertThat(options).isEqualTo(same).hasSameHashCodeAs(same).isEqualTo(options);
    assertThat(options)
        .isNotEqualTo(same.userId("bob"))
        .isNotEqualTo(same.userId(null))
        .isNotEqualTo(same.roles("webpubsub.sendToGroup"))
        .isNotEqualTo(same.groups("room2"))
        .isNotEqualTo(same.expiresAfter(Duration.ofMinutes(6)))
        .isNotEqualTo(same.protocol(WebPubSubClientProtocol.DEFAULT))
        .isNotEqualTo(null)
        .isNotEqualTo("ClientAccessOptions");
    assertThat(ClientAccessOptions.defaults())
        .isEqualTo(ClientAccessOptions.defaults().expiresAfter(Duration.ofHours(1)));
    assertThat(options)
        .doesNotHaveSameHashCodeAs(same.groups("room2"))
        .doesNotHaveSameHashCodeAs(ClientAccessOptions.defaults());
  }

  @Test
  void sendOptionsShowEveryPart() {
    assertThat(
            SendOptions.defaults()
                .excluding("c1", "c2")
                .filter("userId eq 'a'")
                .messageTtlSeconds(5)
                .contentType(WebPubSubContentType.BINARY)
                .toString())
        .isEqualTo(
            "SendOptions[excluded=[c1, c2], filter=userId eq 'a', messageTtlSeconds=5,"
                + " contentType=BINARY]");
    assertThat(SendOptions.defaults())
        .hasToString(
            "SendOptions[excluded=[], filter=null, messageTtlSeconds=null, contentType=null]");
  }

  // ---- CloseOptions ----

  @Test
  void closeOptionsKeepExclusionsAndReason() {
    CloseOptions options = CloseOptions.defaults().excluding("c1").reason("bye").excluding("c2");

    assertThat(options.getExcluded()).containsExactly("c1", "c2");
    assertThat(options.getReason()).isEqualTo("bye");
    assertThat(options).hasToString("CloseOptions[excluded=[c1, c2], reason=bye]");
    assertThat(CloseOptions.defaults()).hasToString("CloseOptions[excluded=[], reason=null]");
    assertThat(CloseOptions.defaults().getExcluded()).isEmpty();
  }

  // ---- ClientAccessOptions ----

  @Test
  void expiresAfterZeroIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().expiresAfter(Duration.ZERO))
        .withMessage("expiresAfter must be positive but was PT0S");
  }

  @Test
  void negativeExpiresAfterIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().expiresAfter(Duration.ofSeconds(-1)))
        .withMessage("expiresAfter must be positive but was PT-1S");
  }

  @Test
  void theShortestPositiveLifetimeIsAccepted() {
    assertThat(ClientAccessOptions.defaults().expiresAfter(Duration.ofNanos(1)).getExpiresAfter())
        .isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void nullOrBlankRolesAndGroupsAreRefusedAsIllegalArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().roles("webpubsub.joinLeaveGroup", null))
        .withMessage("role must not be null or blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().roles(" "))
        .withMessage("role must not be null or blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().groups((String) null))
        .withMessage("group must not be null or blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().groups(""))
        .withMessage("group must not be null or blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientAccessOptions.defaults().protocol(null))
        .withMessage("protocol must not be null");
  }

  @Test
  void clientAccessOptionsKeepWhatEachStepSets() {
    ClientAccessOptions options =
        ClientAccessOptions.forUser("alice")
            .roles("webpubsub.sendToGroup.room1")
            .groups("room1")
            .roles("webpubsub.joinLeaveGroup.room1")
            .groups("room2")
            .expiresAfter(Duration.ofMinutes(5))
            .protocol(WebPubSubClientProtocol.MQTT);

    assertThat(options.getUserId()).isEqualTo("alice");
    assertThat(options.getRoles())
        .containsExactly("webpubsub.sendToGroup.room1", "webpubsub.joinLeaveGroup.room1");
    assertThat(options.getGroups()).containsExactly("room1", "room2");
    assertThat(options.getExpiresAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.getProtocol()).isEqualTo(WebPubSubClientProtocol.MQTT);
    assertThat(options.userId(null).getUserId()).isNull();
    assertThat(options.userId(null).getRoles()).isEqualTo(options.getRoles());
  }

  @Test
  void defaultClientAccessIsAnonymousForAnHour() {
    ClientAccessOptions defaults = ClientAccessOptions.defaults();

    assertThat(defaults.getUserId()).isNull();
    assertThat(defaults.getRoles()).isEmpty();
    assertThat(defaults.getGroups()).isEmpty();
    assertThat(defaults.getExpiresAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.getProtocol()).isEqualTo(WebPubSubClientProtocol.DEFAULT);
    assertThat(defaults)
        .hasToString(
            "ClientAccessOptions[userId=null, roles=[], groups=[], expiresAfter=PT1H,"
                + " protocol=DEFAULT]");
  }

  @Test
  void clientAccessOptionsShowEveryPart() {
    assertThat(
            ClientAccessOptions.forUser("bob")
                .roles("r")
                .groups("g")
                .expiresAfter(Duration.ofMinutes(2)))
        .hasToString(
            "ClientAccessOptions[userId=bob, roles=[r], groups=[g], expiresAfter=PT2M,"
                + " protocol=DEFAULT]");
  }

  // ---- WebPubSubRetrySettings ----

  @Test
  void negativeFirstBackoffIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new WebPubSubRetrySettings(1, Duration.ofMillis(-1), Duration.ofSeconds(1), false))
        .withMessage("firstBackoff must not be negative but was PT-0.001S");
  }

  @Test
  void zeroBackoffsAndZeroRetriesAreAccepted() {
    WebPubSubRetrySettings settings =
        new WebPubSubRetrySettings(0, Duration.ZERO, Duration.ZERO, true);

    assertThat(settings.maxRetries()).isZero();
    assertThat(settings.firstBackoff()).isZero();
    assertThat(settings.retrySendsAfterServerErrors()).isTrue();
    assertThat(WebPubSubRetrySettings.none())
        .isEqualTo(new WebPubSubRetrySettings(0, Duration.ZERO, Duration.ZERO, false));
  }

  @Test
  void maxBackoffEqualToFirstBackoffIsAccepted() {
    Duration second = Duration.ofSeconds(1);

    assertThat(new WebPubSubRetrySettings(2, second, second, false).maxBackoff()).isEqualTo(second);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebPubSubRetrySettings(2, second, second.minusMillis(1), false))
        .withMessage("maxBackoff must not be shorter than firstBackoff but was PT0.999S");
  }

  @Test
  void nullMaxBackoffIsAnIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebPubSubRetrySettings(1, Duration.ZERO, null, false))
        .withMessage("maxBackoff must not be null");
  }
}
