/**
 * The Spring Boot application that {@code interop/js/interop.mjs} starts as a jar: its listener
 * methods answer Microsoft's JavaScript client's {@code invokeEvent} calls, which the emulator
 * passes on as upstream events.
 */
@NullMarked
package io.github.webpubsub.interop;

import org.jspecify.annotations.NullMarked;
