/** Spring Boot health integration for Azure Web PubSub. */
@NullMarked
package io.github.webpubsub.health;

import org.jspecify.annotations.NullMarked;
