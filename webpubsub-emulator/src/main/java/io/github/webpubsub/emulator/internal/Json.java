package io.github.webpubsub.emulator.internal;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the emulator. It lives in its own class so that it is built on first use
 * (the first request, token or message) rather than while the server starts: building it loads
 * about 500 Jackson classes, 0.2-0.3 s in a cold JVM. Jwt and OutboundMessage used to build one
 * each.
 */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
