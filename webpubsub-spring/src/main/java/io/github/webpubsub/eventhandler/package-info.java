/**
 * Receiving Web PubSub's upstream events: listener annotations, the connection context, the connect
 * answer and the application events published for every event.
 */
@NullMarked
package io.github.webpubsub.eventhandler;

import org.jspecify.annotations.NullMarked;
