/**
 * Implementation of annotation-driven publishing: annotation parsing, SpEL evaluation and the AOP
 * advisor. Not public API.
 */
@NullMarked
package io.github.webpubsub.annotation.internal;

import org.jspecify.annotations.NullMarked;
