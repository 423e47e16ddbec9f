/** Publishing benchmarks: the template, Microsoft's SDK and a raw Reactor Netty floor. */
@NullMarked
package io.github.webpubsub.benchmarks;

import org.jspecify.annotations.NullMarked;
