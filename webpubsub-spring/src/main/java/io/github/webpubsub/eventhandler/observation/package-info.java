/** Micrometer observation of the Web PubSub event handler: context, convention, documentation. */
@NullMarked
package io.github.webpubsub.eventhandler.observation;

import org.jspecify.annotations.NullMarked;
