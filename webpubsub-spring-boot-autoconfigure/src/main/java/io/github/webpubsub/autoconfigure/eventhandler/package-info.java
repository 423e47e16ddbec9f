/** Auto-configuration of the Web PubSub upstream event handler endpoint. */
@NullMarked
package io.github.webpubsub.autoconfigure.eventhandler;

import org.jspecify.annotations.NullMarked;
