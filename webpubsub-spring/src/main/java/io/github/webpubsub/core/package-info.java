/**
 * The reactive API for Azure Web PubSub: {@link io.github.webpubsub.core.WebPubSubOperations}, its
 * implementation {@link io.github.webpubsub.core.WebPubSubTemplate}, the typed options and the
 * exceptions.
 *
 * <p><b>Null policy.</b> Every type and parameter is non-null unless annotated {@code @Nullable}
 * (JSpecify, checked by NullAway when the library is built). A {@code null} passed where none is
 * allowed, and any other broken argument rule, is refused before anything is sent with an {@link
 * java.lang.IllegalArgumentException} whose message starts with the argument's name; never a {@code
 * NullPointerException}. A builder missing a required setting fails {@code build()} with an {@link
 * java.lang.IllegalStateException}. Failures of the exchange itself arrive through the returned
 * {@code Mono} or {@code Flux} as a {@link io.github.webpubsub.core.WebPubSubException}.
 */
@NullMarked
package io.github.webpubsub.core;

import org.jspecify.annotations.NullMarked;
