/** Spring Security request matchers for the event-handler endpoint (reactive). */
@NullMarked
package io.github.webpubsub.autoconfigure.security.reactive;

import org.jspecify.annotations.NullMarked;
