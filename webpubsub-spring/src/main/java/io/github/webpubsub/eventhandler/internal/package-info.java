/**
 * Web-stack independent event handler core (CloudEvents parsing, signature validation, abuse
 * protection, listener dispatch) and the thin WebFlux and Spring MVC adapters. Not public API.
 */
@NullMarked
package io.github.webpubsub.eventhandler.internal;

import org.jspecify.annotations.NullMarked;
