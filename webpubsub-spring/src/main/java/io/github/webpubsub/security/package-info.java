/**
 * Client access for the signed-in user: {@link io.github.webpubsub.security.WebPubSubNegotiator}
 * turns the request's {@link java.security.Principal} (usually Spring Security's {@code
 * Authentication}) into a client URL in one call, through a replaceable {@link
 * io.github.webpubsub.security.WebPubSubClientAccessMapper}.
 *
 * <p>It needs only {@code spring-security-core}, which the library already depends on for signing
 * tokens; a plain {@code Principal} (e.g. from a servlet container's own authentication) works as
 * well.
 */
@NullMarked
package io.github.webpubsub.security;

import org.jspecify.annotations.NullMarked;
