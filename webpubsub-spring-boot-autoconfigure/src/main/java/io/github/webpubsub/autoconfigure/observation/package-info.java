/** Auto-configuration of Micrometer observations for the Web PubSub template. */
@NullMarked
package io.github.webpubsub.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
