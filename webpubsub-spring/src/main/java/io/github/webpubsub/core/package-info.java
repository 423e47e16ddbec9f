/** The reactive API for Azure Web PubSub: {@link io.github.webpubsub.core.WebPubSubOperations}. */
@NullMarked
package io.github.webpubsub.core;

import org.jspecify.annotations.NullMarked;
