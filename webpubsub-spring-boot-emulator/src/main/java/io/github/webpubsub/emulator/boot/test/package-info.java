/**
 * Test support: {@link io.github.webpubsub.emulator.boot.test.AutoConfigureWebPubSubEmulator} gives
 * a {@code @SpringBootTest} its own emulator, and {@link
 * io.github.webpubsub.emulator.boot.test.WebPubSubTestClients} connects real WebSocket clients to
 * it.
 */
@NullMarked
package io.github.webpubsub.emulator.boot.test;

import org.jspecify.annotations.NullMarked;
