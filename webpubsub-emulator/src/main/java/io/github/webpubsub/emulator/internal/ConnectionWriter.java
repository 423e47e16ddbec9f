package io.github.webpubsub.emulator.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.util.concurrent.Queues;

/**
 * Writes a WebSocket client's queued messages to its channel, on the channel's event loop. A
 * message is queued (and counted against the client's limits) in the thread that sends it; the
 * writer is then put on its event loop's {@link Batches batch}, so a broadcast to every client of a
 * loop costs one task there, not one per client, and each channel is flushed once per batch however
 * many messages it got. Writing stops while the channel is not writable (Netty's high water mark)
 * and resumes when it is again, so a client that does not read keeps its messages in the counted
 * queue, where the limits close it.
 */
final class ConnectionWriter implements ClientConnection.Outlet {

  private static final String WRITABILITY = "webpubsub.writability";

  private final ClientConnection connection;

  private final ClientConnection.Transport transport;

  private final Channel channel;

  private final Batch batch;

  /** Set while this writer waits in its batch (so it is queued there once). */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private final Sinks.Empty<Void> done = Sinks.empty();

  /** Event loop only. */
  private boolean finished;

  private ConnectionWriter(
      ClientConnection connection,
      ClientConnection.Transport transport,
      Channel channel,
      Batch batch) {
    this.connection = connection;
    this.transport = transport;
    this.channel = channel;
    this.batch = batch;
  }

  /**
   * Starts writing {@code transport}'s messages to the channel of {@code channelConnection}.
   *
   * @return completes once every message is written after the transport completed, or at once when
   *     it is discarded or the channel closes
   */
  static Mono<Void> start(
      ClientConnection connection,
      ClientConnection.Transport transport,
      Connection channelConnection,
      Batches batches) {
    Channel channel = channelConnection.channel();
    ConnectionWriter writer =
        new ConnectionWriter(connection, transport, channel, batches.of(channel.eventLoop()));
    channelConnection.addHandlerLast(WRITABILITY, new Writability(writer));
    channel.closeFuture().addListener((future) -> writer.ready());
    connection.attach(transport, writer);
    return writer.done.asMono();
  }

  @Override
  public void ready() {
    if (this.scheduled.compareAndSet(false, true)) {
      this.batch.schedule(this);
    }
  }

  /** On the event loop: writes what is queued while the channel takes it, then flushes once. */
  private void write() {
    this.scheduled.set(false);
    if (this.finished) {
      return;
    }
    ClientConnection.Transport current = this.transport;
    if (current.discarded || !this.channel.isActive()) {
      finish();
      return;
    }
    boolean wrote = false;
    OutboundMessage message;
    while (this.channel.isWritable() && (message = current.poll()) != null) {
      this.channel.write(this.connection.frame(current, message), this.channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      this.channel.flush();
    }
    if (current.completed && current.isEmpty()) {
      finish();
    }
  }

  private void finish() {
    this.finished = true;
    this.done.tryEmitEmpty();
  }

  /** Resumes writing when the channel's outbound buffer drained below the low water mark. */
  private static final class Writability extends ChannelInboundHandlerAdapter {

    private final ConnectionWriter writer;

    Writability(ConnectionWriter writer) {
      this.writer = writer;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        this.writer.ready();
      }
      ctx.fireChannelWritabilityChanged();
    }
  }

  /** The batches of one server, one per event loop. */
  static final class Batches {

    private final Map<EventLoop, Batch> loops = new ConcurrentHashMap<>();

    Batch of(EventLoop loop) {
      return this.loops.computeIfAbsent(loop, Batch::new);
    }
  }

  /**
   * The writers of one event loop that have messages to write: one task on the loop writes them
   * all, however many were queued before it ran.
   */
  static final class Batch implements Runnable {

    /** Writers one task writes before it yields to the loop's other work. */
    private static final int MAX_WRITERS_PER_TASK = 4096;

    private final EventLoop loop;

    private final Queue<ConnectionWriter> ready =
        Queues.<ConnectionWriter>unboundedMultiproducer().get();

    private final AtomicBoolean scheduled = new AtomicBoolean();

    Batch(EventLoop loop) {
      this.loop = loop;
    }

    void schedule(ConnectionWriter writer) {
      this.ready.offer(writer);
      if (this.scheduled.compareAndSet(false, true)) {
        execute();
      }
    }

    private void execute() {
      try {
        this.loop.execute(this);
      } catch (RejectedExecutionException ex) {
        // The loop is shutting down, its channels with it.
        this.scheduled.set(false);
      }
    }

    @Override
    public void run() {
      this.scheduled.set(false);
      ConnectionWriter writer;
      int written = 0;
      while (written < MAX_WRITERS_PER_TASK && (writer = this.ready.poll()) != null) {
        writer.write();
        written++;
      }
      if (!this.ready.isEmpty() && this.scheduled.compareAndSet(false, true)) {
        execute();
      }
    }
  }
}
