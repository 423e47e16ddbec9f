package io.github.webpubsub.emulator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Records what is logged while it is open: Reactor Netty and Netty through SLF4J (Logback on the
 * test classpath), the emulator through {@link System.Logger} (java.util.logging here).
 */
final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          LogCapture.this.records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  LogCapture() {
    this.appender.start();
    root().addAppender(this.appender);
    java.util.logging.Logger.getLogger("").addHandler(this.handler);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /**
   * Every line logged as {@code logger: message}, with {@code [stack trace]} appended where one was
   * logged; lines of Reactor Netty's HTTP client (the tests' own clients) are left out.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(this.appender.list)) {
      if (!event.getLoggerName().startsWith("reactor.netty.http.client")) {
        lines.add(
            event.getLoggerName()
                + ": "
                + event.getFormattedMessage()
                + ((event.getThrowableProxy() != null) ? " [stack trace]" : ""));
      }
    }
    for (LogRecord record : this.records) {
      lines.add(
          record.getLoggerName()
              + ": "
              + record.getMessage()
              + ((record.getThrown() != null) ? " [stack trace]" : ""));
    }
    return lines;
  }

  @Override
  public void close() {
    root().detachAppender(this.appender);
    java.util.logging.Logger.getLogger("").removeHandler(this.handler);
  }
}
