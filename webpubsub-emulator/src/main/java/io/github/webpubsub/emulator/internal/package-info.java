/** Implementation of the emulator: HTTP routing, authentication, connections and upstream calls. */
@NullMarked
package io.github.webpubsub.emulator.internal;

import org.jspecify.annotations.NullMarked;
