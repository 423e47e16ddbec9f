/**
 * Auto-configuration of client access for the signed-in user ({@code WebPubSubNegotiator}), and
 * Spring Security request matchers for the event handler in {@code reactive} and {@code servlet}.
 */
@NullMarked
package io.github.webpubsub.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
