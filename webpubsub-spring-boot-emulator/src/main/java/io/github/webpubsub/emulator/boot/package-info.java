/**
 * The Web PubSub emulator as Spring Boot's development-time default: with no service configured,
 * the application runs the emulator in-process and wires its event handlers to itself.
 */
@NullMarked
package io.github.webpubsub.emulator.boot;

import org.jspecify.annotations.NullMarked;
