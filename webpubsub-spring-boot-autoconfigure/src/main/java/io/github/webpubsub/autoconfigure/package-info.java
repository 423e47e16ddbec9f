/** Auto-configuration of the Web PubSub template and its companions. */
@NullMarked
package io.github.webpubsub.autoconfigure;

import org.jspecify.annotations.NullMarked;
