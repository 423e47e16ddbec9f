/** Implementation of the template: HTTP exchange, signing, retries, parsing. Not public API. */
@NullMarked
package io.github.webpubsub.core.internal;

import org.jspecify.annotations.NullMarked;
