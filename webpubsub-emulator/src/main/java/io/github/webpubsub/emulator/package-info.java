/** A local Azure Web PubSub service for development and tests. */
@NullMarked
package io.github.webpubsub.emulator;

import org.jspecify.annotations.NullMarked;
