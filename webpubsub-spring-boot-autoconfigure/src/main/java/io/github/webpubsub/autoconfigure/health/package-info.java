/** Auto-configuration of the Web PubSub health indicator. */
@NullMarked
package io.github.webpubsub.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
