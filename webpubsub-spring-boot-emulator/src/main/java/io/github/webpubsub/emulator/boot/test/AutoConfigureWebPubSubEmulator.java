package io.github.webpubsub.emulator.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @SpringBootTest} context its own Web PubSub emulator: a fresh one on a free port
 * with a random key, which replaces any configured connection ({@code webpubsub.connection-string},
 * {@code webpubsub.endpoint}, a {@code WebPubSubConnectionDetails} bean) and, with a real web
 * server ({@code webEnvironment = RANDOM_PORT} or {@code DEFINED_PORT}), sends the events of every
 * hub with listeners, of {@code webpubsub.event-handler.hubs} and of {@code webpubsub.hub} to the
 * test's server. The context also gets a {@link WebPubSubTestClients} bean.
 *
 * <p>The emulator is a bean of the context: test classes that share a cached context share it, and
 * it stops when the context is closed. The clients a {@link WebPubSubTestClients} connected are
 * closed after each test method, so connections and their group memberships do not carry over to
 * the next method; what the application sent or stored stays, as in any shared context.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureWebPubSubEmulator {}
