package io.github.webpubsub.eventhandler.internal;

import io.github.webpubsub.eventhandler.WebPubSubClientCertificate;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedRequest;
import io.github.webpubsub.eventhandler.WebPubSubMqttConnectInfo;
import io.github.webpubsub.eventhandler.WebPubSubMqttDisconnectInfo;
import io.github.webpubsub.eventhandler.WebPubSubMqttDisconnectPacket;
import io.github.webpubsub.eventhandler.WebPubSubMqttUserProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Native-image hints for what the library reads and writes reflectively apart from listener
 * methods: the bodies of the service's events that Jackson binds ({@code connect}, {@code
 * disconnected}, with their MQTT members). Registered in {@code META-INF/spring/aot.factories}.
 */
public final class EventHandlerRuntimeHints implements RuntimeHintsRegistrar {

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
    bindings.registerReflectionHints(
        hints.reflection(),
        WebPubSubConnectRequest.class,
        WebPubSubClientCertificate.class,
        WebPubSubDisconnectedRequest.class,
        WebPubSubMqttConnectInfo.class,
        WebPubSubMqttUserProperty.class,
        WebPubSubMqttDisconnectInfo.class,
        WebPubSubMqttDisconnectPacket.class);
  }
}
