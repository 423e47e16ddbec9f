package io.github.webpubsub.emulator.internal;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the emulator. It lives in its own class so that it is built on first use
 * (the first request, token or message) rather than while the server starts: building it loads some
 * 400 Jackson classes, about 0.2 s in a cold JVM.
 */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
