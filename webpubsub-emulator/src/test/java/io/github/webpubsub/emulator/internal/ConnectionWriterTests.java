package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;

/**
 * How a WebSocket client's queued messages reach its channel: on the channel's event loop, in
 * order, each channel flushed once per batch, stopping while the channel is not writable.
 */
class ConnectionWriterTests {

  final Hub hub = new Hub("writer");

  final ConnectionWriter.Batches batches = new ConnectionWriter.Batches();

  @Test
  void messagesQueuedBeforeTheLoopRunsAreWrittenInOrderInOneTaskWithOneFlush() {
    FlushCounter flushes = new FlushCounter();
    EmbeddedChannel channel = new EmbeddedChannel(flushes);
    ClientConnection connection = connection();
    AtomicBoolean done = new AtomicBoolean();
    ConnectionWriter.start(
            connection, connection.currentTransport(), Connection.from(channel), this.batches)
        .subscribe(null, null, () -> done.set(true));

    for (int i = 0; i < 3; i++) {
      connection.deliver(message("m" + i));
    }
    // Nothing is written in the sending thread: the loop's batch task writes.
    assertThat(channel.outboundMessages()).isEmpty();
    channel.runPendingTasks();

    assertThat(texts(channel)).containsExactly("m0", "m1", "m2");
    assertThat(flushes.count).isEqualTo(1);
    assertThat(connection.currentTransport().queued.get()).isZero();
    assertThat(done).isFalse();

    connection.close(1000, "bye");
    channel.runPendingTasks();
    assertThat(done).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void aChannelThatIsNotWritableGetsNoMoreUntilItIsWritableAgain() {
    FlushCounter flushes = new FlushCounter();
    EmbeddedChannel channel = new EmbeddedChannel(flushes);
    // Not writable as soon as one frame waits unflushed; writable again once it is flushed.
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 1));
    ClientConnection connection = connection();
    ConnectionWriter.start(
            connection, connection.currentTransport(), Connection.from(channel), this.batches)
        .subscribe();
    for (int i = 0; i < 3; i++) {
      connection.deliver(message("m" + i));
    }
    channel.runPendingTasks();
    // Each frame made the channel unwritable: the writer flushed it and wrote the next one only
    // when the drained buffer made the channel writable again (one flush per frame, not one for
    // all three as when the channel stays writable).
    assertThat(texts(channel)).containsExactly("m0", "m1", "m2");
    assertThat(flushes.count).isEqualTo(3);
    channel.finishAndReleaseAll();
  }

  @Test
  void anAbortedConnectionDropsWhatIsQueuedAndCompletes() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ClientConnection connection = connection();
    AtomicBoolean done = new AtomicBoolean();
    ConnectionWriter.start(
            connection, connection.currentTransport(), Connection.from(channel), this.batches)
        .subscribe(null, null, () -> done.set(true));
    connection.deliver(message("m0"));
    connection.abort(1008, "too slow");
    channel.runPendingTasks();
    assertThat(texts(channel)).isEmpty();
    assertThat(done).isTrue();
    channel.finishAndReleaseAll();
  }

  private ClientConnection connection() {
    ClientConnection connection =
        new ClientConnection("c1", this.hub, "u1", null, Set.of(), 64, 1024 * 1024);
    this.hub.add(connection, List.of());
    return connection;
  }

  private static OutboundMessage message(String text) {
    return OutboundMessage.fromServer(DataType.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> texts(EmbeddedChannel channel) {
    List<String> texts = new ArrayList<>();
    Object message;
    while ((message = channel.readOutbound()) != null) {
      TextWebSocketFrame frame = (TextWebSocketFrame) message;
      texts.add(frame.text());
      frame.release();
    }
    return texts;
  }

  /** Counts the flushes that reach the channel. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {

    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      this.count++;
      ctx.flush();
    }
  }
}
