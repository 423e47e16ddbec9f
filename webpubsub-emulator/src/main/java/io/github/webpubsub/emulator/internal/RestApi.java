package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The REST data plane ({@code /api/...}): all operations of api-version 2024-12-01 and the
 * 2021-08-01-preview paths. {@code HEAD /api/health} is answered without a token; every other
 * request is authenticated by {@link RestAuthenticator} and then answered by the operation {@link
 * RestRoutes} finds for it.
 */
final class RestApi {

  private final EmulatorServer server;

  private final RestAuthenticator authenticator;

  RestApi(EmulatorServer server) {
    this.server = server;
    this.authenticator = new RestAuthenticator(server.jwt());
  }

  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    try {
      List<String> path = Http.segments(request.uri());
      HttpMethod method = request.method();
      if (path.size() == 2 && path.get(1).equals("health")) {
        return (method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.GET))
            ? Http.status(response, 200)
            : Http.error(request, response, methodNotAllowed(method));
      }
      this.authenticator.authenticate(request);
      if (path.size() < 4 || !path.get(1).equals("hubs")) {
        throw ServiceError.notFound("path", "No such operation: " + Http.rawPath(request.uri()));
      }
      Hub hub = this.server.hub(Names.hub(path.get(2)));
      return Mono.defer(
              () ->
                  RestRoutes.API.dispatch(new RestCall(this.server, request, response, hub, path)))
          .onErrorResume(ServiceError.class, (e) -> Http.error(request, response, e))
          // A call that left the hub empty (a send to a hub nobody uses) does not keep it.
          .doFinally((signal) -> hub.releaseIfIdle());
    } catch (ServiceError e) {
      return Http.error(request, response, e);
    }
  }

  private static ServiceError methodNotAllowed(HttpMethod method) {
    return new ServiceError(405, "Error.MethodNotAllowed", "method", method + " is not allowed");
  }
}
