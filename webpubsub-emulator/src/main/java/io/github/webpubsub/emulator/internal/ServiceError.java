package io.github.webpubsub.emulator.internal;

/** A request the emulator refuses, answered with the service's {@code ErrorDetail} JSON body. */
final class ServiceError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  private final String code;

  private final String target;

  ServiceError(int status, String code, String target, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.target = target;
  }

  static ServiceError badRequest(String target, String message) {
    return new ServiceError(400, "Error.BadRequest", target, message);
  }

  static ServiceError notFound(String target, String message) {
    return new ServiceError(404, "Error.NotFound", target, message);
  }

  int status() {
    return this.status;
  }

  String code() {
    return this.code;
  }

  String target() {
    return this.target;
  }
}
