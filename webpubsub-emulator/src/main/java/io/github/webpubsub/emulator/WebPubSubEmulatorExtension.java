package io.github.webpubsub.emulator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link WebPubSubEmulator} per test class (registered on a static
 * field) or per test (instance field), and injects it into test method parameters.
 *
 * <pre>{@code
 * @RegisterExtension
 * static WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubEmulatorExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private final WebPubSubEmulator.Builder builder;

  private @Nullable WebPubSubEmulator emulator;

  private boolean perTest;

  /**
   * Creates an extension for an emulator on a free port with a fresh random access key per start
   * (read it from {@link WebPubSubEmulator#getAccessKey()} or the connection string).
   */
  public WebPubSubEmulatorExtension() {
    this(WebPubSubEmulator.builder());
  }

  /**
   * Creates an extension that starts emulators from the given builder.
   *
   * @param builder the configured builder
   */
  public WebPubSubEmulatorExtension(WebPubSubEmulator.Builder builder) {
    this.builder = builder;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (this.emulator == null) {
      this.emulator = this.builder.start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (this.emulator == null) {
      this.emulator = this.builder.start();
      this.perTest = true;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (this.perTest) {
      stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == WebPubSubEmulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return getEmulator();
  }

  /**
   * Returns the running emulator.
   *
   * @return the emulator
   * @throws IllegalStateException outside the test class lifecycle
   */
  public WebPubSubEmulator getEmulator() {
    WebPubSubEmulator running = this.emulator;
    if (running == null) {
      throw new IllegalStateException(
          "The emulator runs only between beforeAll and afterAll (register the extension with"
              + " @RegisterExtension)");
    }
    return running;
  }

  /**
   * Returns the running emulator's connection string.
   *
   * @return the connection string
   */
  public String getConnectionString() {
    return getEmulator().getConnectionString();
  }

  private void stop() {
    WebPubSubEmulator running = this.emulator;
    this.emulator = null;
    this.perTest = false;
    if (running != null) {
      running.close();
    }
  }
}
