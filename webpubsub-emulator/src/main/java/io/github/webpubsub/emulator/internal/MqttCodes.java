package io.github.webpubsub.emulator.internal;

import java.util.Set;

/**
 * The MQTT codes the emulator answers with: a connect handler's rejection as a CONNACK code, and
 * the WebSocket close status a server-side close had as a DISCONNECT reason code.
 */
final class MqttCodes {

  /** MQTT 5.0 DISCONNECT: normal disconnection. */
  static final int NORMAL = 0x00;

  /** MQTT 5.0 DISCONNECT by the client: disconnect with the will message. */
  static final int WITH_WILL = 0x04;

  static final int UNSPECIFIED = 0x80;

  static final int MALFORMED_PACKET = 0x81;

  static final int PROTOCOL_ERROR = 0x82;

  static final int NOT_AUTHORIZED = 0x87;

  static final int SERVER_SHUTTING_DOWN = 0x8B;

  static final int KEEP_ALIVE_TIMEOUT = 0x8D;

  static final int SESSION_TAKEN_OVER = 0x8E;

  static final int TOPIC_FILTER_INVALID = 0x8F;

  static final int TOPIC_NAME_INVALID = 0x90;

  static final int PACKET_ID_NOT_FOUND = 0x92;

  static final int TOPIC_ALIAS_INVALID = 0x94;

  static final int PACKET_TOO_LARGE = 0x95;

  static final int QUOTA_EXCEEDED = 0x97;

  static final int ADMINISTRATIVE_ACTION = 0x98;

  static final int PAYLOAD_FORMAT_INVALID = 0x99;

  static final int RETAIN_NOT_SUPPORTED = 0x9A;

  static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;

  static final int WILDCARDS_NOT_SUPPORTED = 0xA2;

  static final int NO_SUBSCRIPTION_EXISTED = 0x11;

  /** The CONNACK reason codes of MQTT 5.0 that refuse a connection. */
  private static final Set<Integer> CONNACK_5 =
      Set.of(
          0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
          0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);

  private MqttCodes() {}

  /**
   * The CONNACK code of a connect handler's rejection: the {@code mqtt.code} of its body when that
   * is a refusal code of the client's version; an invalid code is "unspecified error" (0x80) for
   * 5.0 clients; without a code (or with an invalid one for 3.1.1, which has no "unspecified"), the
   * status decides as the express handler maps it: 400 to 4 (3.1.1) or 134 (5.0), 401 to 5 or 135,
   * anything else to 3 or 128.
   */
  static int connectRejection(
      boolean v5, int status, @org.jspecify.annotations.Nullable Integer code) {
    if (code != null) {
      if (v5) {
        return CONNACK_5.contains(code) ? code : UNSPECIFIED;
      }
      if (code >= 1 && code <= 5) {
        return code;
      }
    }
    return switch (status) {
      case 400 -> v5 ? 0x86 : 4;
      case 401 -> v5 ? 0x87 : 5;
      default -> v5 ? UNSPECIFIED : 3;
    };
  }

  /** The DISCONNECT reason code of a server-side close with that WebSocket close status. */
  static int ofCloseStatus(int status) {
    return switch (status) {
      case 1000 -> ADMINISTRATIVE_ACTION; // closeConnection, closeAll... over REST
      case 1001 -> SERVER_SHUTTING_DOWN;
      case 1008 -> QUOTA_EXCEEDED; // the client did not keep up with its messages
      case 1009 -> PACKET_TOO_LARGE;
      default -> UNSPECIFIED;
    };
  }
}
