/** Spring Security request matchers for the event-handler endpoint (servlet). */
@NullMarked
package io.github.webpubsub.autoconfigure.security.servlet;

import org.jspecify.annotations.NullMarked;
