/**
 * Micrometer observations of {@link io.github.webpubsub.core.WebPubSubTemplate} operations: the
 * {@code webpubsub.client.requests} observation, its context, conventions and payload metrics.
 */
@NullMarked
package io.github.webpubsub.core.observation;

import org.jspecify.annotations.NullMarked;
