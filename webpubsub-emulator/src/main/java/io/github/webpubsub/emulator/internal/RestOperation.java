package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;

/**
 * One operation of the REST data plane (such as {@code sendToGroup}), registered in {@link
 * RestRoutes} under its method and path pattern. It runs with the path's names already checked; a
 * refused request throws or emits a {@link ServiceError}.
 */
@FunctionalInterface
interface RestOperation {

  Mono<Void> handle(RestCall call);
}
