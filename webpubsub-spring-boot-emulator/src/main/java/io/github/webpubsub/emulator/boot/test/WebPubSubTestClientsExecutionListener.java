package io.github.webpubsub.emulator.boot.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Closes the clients of a context's {@link WebPubSubTestClients} after each test method, so that no
 * connection (nor its groups) carries over to the next method of a shared context.
 */
class WebPubSubTestClientsExecutionListener implements TestExecutionListener, Ordered {

  @Override
  public void afterTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext
          .getApplicationContext()
          .getBeanProvider(WebPubSubTestClients.class)
          .ifAvailable(WebPubSubTestClients::closeAll);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }
}
