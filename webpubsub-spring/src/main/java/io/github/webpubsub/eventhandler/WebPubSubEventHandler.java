package io.github.webpubsub.eventhandler;

import io.github.webpubsub.eventhandler.internal.EventHandlerCore;
import io.github.webpubsub.eventhandler.internal.ListenerMethodProcessor;
import io.github.webpubsub.eventhandler.internal.ListenerRegistry;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receives Web PubSub's upstream events (CloudEvents over HTTP): answers the abuse-protection
 * handshake, checks {@code ce-signature} against the access keys, runs the matching
 * {@code @WebPubSub*Listener} method and publishes a {@link WebPubSubEvent} for every event.
 *
 * <p>Declared as a bean, it finds the listener methods of every other bean once all singletons
 * exist. Serve it with {@link WebFluxEventHandlerAdapter} or {@link ServletEventHandlerAdapter};
 * Spring Boot's auto-configuration does both.
 *
 * <pre>{@code
 * @Bean
 * WebPubSubEventHandler webPubSubEventHandler() {
 *   return WebPubSubEventHandler.builder()
 *       .accessKeys(() -> List.of(key))
 *       .endpoint(() -> URI.create("https://contoso.webpubsub.azure.com"))
 *       .build();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubEventHandler
    implements BeanFactoryAware, SmartInitializingSingleton, ApplicationEventPublisherAware {

  /** Default largest body of a user or notification event, 1 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

  private final ListenerRegistry registry;

  private final ListenerMethodProcessor processor;

  private final EventHandlerCore core;

  private @Nullable ApplicationEventPublisher eventPublisher;

  private WebPubSubEventHandler(Builder builder) {
    this.registry = new ListenerRegistry();
    this.processor = new ListenerMethodProcessor(this.registry);
    this.eventPublisher = builder.eventPublisher;
    this.core =
        new EventHandlerCore(
            this.registry,
            builder.accessKeys,
            builder.endpoint,
            builder.allowedOrigins,
            builder.hubs,
            builder.maxBodySize,
            builder.jsonMapper,
            this::publishEvent,
            builder.observationRegistry,
            builder.observationConvention);
  }

  /**
   * Starts a builder.
   *
   * @return a builder with no access key, any hub, the service's own origin only, a 1 MiB body
   *     limit and no observations
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Hubs that a listener method names explicitly, lower case; listeners for any hub are not
   * included.
   *
   * @return the hubs, possibly empty
   */
  public Set<String> getListenerHubs() {
    return this.registry.hubs();
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.processor.setBeanFactory(beanFactory);
  }

  @Override
  public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
    if (this.eventPublisher == null) {
      this.eventPublisher = applicationEventPublisher;
    }
  }

  @Override
  public void afterSingletonsInstantiated() {
    this.processor.afterSingletonsInstantiated();
  }

  EventHandlerCore core() {
    return this.core;
  }

  private void publishEvent(Object event) {
    ApplicationEventPublisher publisher = this.eventPublisher;
    if (publisher != null) {
      publisher.publishEvent(event);
    }
  }

  /**
   * Builds a {@link WebPubSubEventHandler}.
   *
   * @since 0.1.0
   */
  public static final class Builder {

    private Supplier<List<String>> accessKeys = List::of;

    private Supplier<@Nullable URI> endpoint = () -> null;

    private List<String> allowedOrigins = List.of();

    private List<String> hubs = List.of();

    private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

    private JsonMapper jsonMapper = JsonMapper.builder().build();

    private @Nullable ApplicationEventPublisher eventPublisher;

    private Supplier<ObservationRegistry> observationRegistry = () -> ObservationRegistry.NOOP;

    private @Nullable WebPubSubEventHandlerObservationConvention observationConvention;

    private Builder() {}

    /**
     * Sets the access keys that {@code ce-signature} is checked against, primary first; read for
     * every request, so keys may rotate. Without a key every event is answered 401.
     *
     * @param accessKeys supplies the keys
     * @return this builder
     */
    public Builder accessKeys(Supplier<List<String>> accessKeys) {
      Assert.notNull(accessKeys, "accessKeys must not be null");
      this.accessKeys = accessKeys;
      return this;
    }

    /**
     * Sets the service endpoint, whose origin may always deliver events (abuse protection).
     *
     * @param endpoint supplies the endpoint, or {@code null} when unknown
     * @return this builder
     */
    public Builder endpoint(Supplier<@Nullable URI> endpoint) {
      Assert.notNull(endpoint, "endpoint must not be null");
      this.endpoint = endpoint;
      return this;
    }

    /**
     * Sets further origins allowed to deliver events, {@code *} for any.
     *
     * @param allowedOrigins the origins, e.g. {@code contoso.webpubsub.azure.com}
     * @return this builder
     */
    public Builder allowedOrigins(List<String> allowedOrigins) {
      Assert.notNull(allowedOrigins, "allowedOrigins must not be null");
      this.allowedOrigins = List.copyOf(allowedOrigins);
      return this;
    }

    /**
     * Sets the hubs served; events of other hubs are refused. Empty (the default) serves any hub.
     *
     * @param hubs the hub names
     * @return this builder
     */
    public Builder hubs(List<String> hubs) {
      Assert.notNull(hubs, "hubs must not be null");
      this.hubs = List.copyOf(hubs);
      return this;
    }

    /**
     * Sets the largest user or notification event body accepted; larger ones get 413.
     *
     * @param maxBodySize the limit in bytes, at least 1
     * @return this builder
     */
    public Builder maxBodySize(int maxBodySize) {
      Assert.isTrue(
          maxBodySize >= 1 && maxBodySize < Integer.MAX_VALUE,
          () ->
              "maxBodySize must be between 1 and "
                  + (Integer.MAX_VALUE - 1)
                  + ", got "
                  + maxBodySize);
      this.maxBodySize = maxBodySize;
      return this;
    }

    /**
     * Sets the JSON mapper that converts event payloads to listener parameter types.
     *
     * @param jsonMapper the application's mapper
     * @return this builder
     */
    public Builder jsonMapper(JsonMapper jsonMapper) {
      Assert.notNull(jsonMapper, "jsonMapper must not be null");
      this.jsonMapper = jsonMapper;
      return this;
    }

    /**
     * Sets where the {@link WebPubSubEvent}s go; by default the application context the handler is
     * a bean of.
     *
     * @param eventPublisher the publisher
     * @return this builder
     */
    public Builder eventPublisher(ApplicationEventPublisher eventPublisher) {
      Assert.notNull(eventPublisher, "eventPublisher must not be null");
      this.eventPublisher = eventPublisher;
      return this;
    }

    /**
     * Sets where requests are observed ({@code webpubsub.eventhandler.requests}).
     *
     * @param observationRegistry supplies the registry, asked per request
     * @return this builder
     */
    public Builder observationRegistry(Supplier<ObservationRegistry> observationRegistry) {
      Assert.notNull(observationRegistry, "observationRegistry must not be null");
      this.observationRegistry = observationRegistry;
      return this;
    }

    /**
     * Replaces the default observation convention.
     *
     * @param observationConvention the convention, or {@code null} for the default
     * @return this builder
     */
    public Builder observationConvention(
        @Nullable WebPubSubEventHandlerObservationConvention observationConvention) {
      this.observationConvention = observationConvention;
      return this;
    }

    /**
     * Builds the event handler.
     *
     * @return the event handler
     */
    public WebPubSubEventHandler build() {
      return new WebPubSubEventHandler(this);
    }
  }
}
