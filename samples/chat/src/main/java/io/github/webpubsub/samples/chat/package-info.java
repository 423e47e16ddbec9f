/**
 * A real-time chat on Azure Web PubSub: the page negotiates a client URL, sends what the user types
 * as an event, and the application publishes it to the room.
 */
@NullMarked
package io.github.webpubsub.samples.chat;

import org.jspecify.annotations.NullMarked;
