package io.github.webpubsub.emulator.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.netty.Connection;

/**
 * Ends a WebSocket's TCP connection the way RFC 6455 section 7.1.1 asks when the server closes
 * first: after its close frame the server stops writing but keeps reading until the client is done
 * (its EOF), for at most {@link #DRAIN_TIMEOUT}, and only then closes the socket.
 *
 * <p>Netty's frame decoder (a frame above the size limit, a protocol error) and Reactor Netty's
 * {@code sendClose} both close the channel as soon as their close frame is written. A client still
 * sending (the rest of the refused 1 MiB frame, say) then has bytes unread in the server's receive
 * buffer, so the server's kernel answers with a TCP reset instead of a FIN: the client's next write
 * fails, and a client that handles that failure before it reads (Netty's client does: its event
 * loop takes the error on the write side first and closes) never sees the close frame that had
 * already arrived in its socket, only an abnormal closure. Here the channel's close is held back:
 * the output is shut down (a FIN after the close frame, so the client reads the close frame and
 * then EOF), everything the client still sends is released unread, and the channel closes on the
 * client's EOF or when the timeout ends a client that keeps sending.
 *
 * <p>When the client's close frame came first (the client closed, the server only answers) there is
 * nothing left to read, and the channel closes at once as before.
 *
 * <p>A client that stops reading, so that the server's close frame cannot even be written, loses
 * the connection once {@link #CLOSE_TIMEOUT} passes with none of the bytes queued before the close
 * frame written: it does not keep its connection for ever, and a slow reader is not cut off.
 */
final class ClosingHandshake {

  /**
   * How long a client has, once the server's close frame is written, to end its side (as long as
   * {@link RequestHeadTimeout} lingers after its 408, for the same reason).
   */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long the bytes queued before the server's close frame (the close frame included) may go
   * without any being written to the client: a client that does not read at all (its socket buffers
   * full, so the close frame is never written and nothing would ever close the channel) is cut off
   * then; one that reads, however slowly, is not.
   */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  /** Netty's name for the frame decoder the handshake adds. */
  private static final String WEBSOCKET_DECODER = "wsdecoder";

  private static final String DRAIN = "webpubsub.closingHandshake";

  private static final String CLOSE_SEEN = "webpubsub.clientClose";

  private ClosingHandshake() {}

  /**
   * Installs the closing handshake on an upgraded WebSocket connection. Call it first thing in the
   * WebSocket handler: a handler put right after Netty's decoder later then sits before the one
   * that notes the client's close frame, so a close frame it drops (one with a reserved bit set,
   * say) does not count.
   */
  static void install(Connection connection) {
    ChannelPipeline pipeline = connection.channel().pipeline();
    if (pipeline.get(WEBSOCKET_DECODER) == null || pipeline.get(DRAIN) != null) {
      return;
    }
    Drain drain = new Drain();
    // Before the decoder, the drain sees the raw bytes and the close frame the decoder writes
    // itself; after it, the client's close frame as decoded.
    pipeline.addBefore(WEBSOCKET_DECODER, DRAIN, drain);
    pipeline.addAfter(WEBSOCKET_DECODER, CLOSE_SEEN, new CloseSeen(drain));
  }

  /** Holds back the close of the channel after the server's close frame; see the class. */
  private static final class Drain extends ChannelDuplexHandler {

    /** Event loop only, as are the fields below. */
    private boolean closeSent;

    private boolean closeReceived;

    private boolean draining;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (this.closeSent) {
        // RFC 6455 section 5.5.1: nothing follows the close frame.
        ReferenceCountUtil.release(msg);
        if (!promise.isVoid()) {
          promise.tryFailure(new ClosedChannelException());
        }
        return;
      }
      boolean closeFrame = msg instanceof CloseWebSocketFrame;
      this.closeSent = closeFrame;
      ctx.write(msg, promise);
      if (closeFrame) {
        // Measured once the close frame is queued too.
        cutOffWithoutProgress(ctx, pendingWriteBytes(ctx.channel()));
      }
    }

    /**
     * Closes the channel once {@link #CLOSE_TIMEOUT} passes with nothing of what is queued before
     * the close frame written to the client: a client that reads slowly keeps its connection as
     * long as it makes progress; one that does not read at all is cut off. Once the close frame is
     * written, the drain (started by the close that follows) takes over.
     */
    private void cutOffWithoutProgress(ChannelHandlerContext ctx, long pendingBefore) {
      Channel channel = ctx.channel();
      ScheduledFuture<?> cutOff =
          ctx.executor()
              .schedule(
                  () -> {
                    if (!channel.isOpen() || this.draining) {
                      return;
                    }
                    long pending = pendingWriteBytes(channel);
                    if (pending > 0 && pending < pendingBefore) {
                      cutOffWithoutProgress(ctx, pending);
                    } else {
                      ctx.close();
                    }
                  },
                  CLOSE_TIMEOUT.toMillis(),
                  TimeUnit.MILLISECONDS);
      channel.closeFuture().addListener((future) -> cutOff.cancel(false));
    }

    /** Bytes written to the channel and not yet handed to the socket. */
    private static long pendingWriteBytes(Channel channel) {
      ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
      return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      Channel channel = ctx.channel();
      if (this.draining) {
        channel.closeFuture().addListener((future) -> promise.trySuccess());
        return;
      }
      if (!this.closeSent
          || this.closeReceived
          || !channel.isActive()
          || !(channel instanceof DuplexChannel duplex)
          || duplex.isInputShutdown()) {
        ctx.close(promise);
        return;
      }
      this.draining = true;
      ScheduledFuture<?> timeout =
          ctx.executor()
              .schedule(() -> ctx.close(), DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      channel
          .closeFuture()
          .addListener(
              (future) -> {
                timeout.cancel(false);
                promise.trySuccess();
              });
      // A FIN once everything before it is written (the close frame last): the client reads the
      // close frame, then EOF, and closes its side. (This write starts here, so write() above does
      // not drop it.)
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((future) -> duplex.shutdownOutput());
      // Reactor Netty reads on demand and nobody asks any more: read on until the client's EOF.
      channel.config().setAutoRead(true);
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (this.draining) {
        ReferenceCountUtil.release(msg);
        return;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (this.draining && evt instanceof ChannelInputShutdownEvent) {
        // The client's EOF (seen here when half-closure is allowed; else Netty closes by itself).
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (this.draining) {
        // The client reset the connection, or what it still sent failed to read: it is gone, and
        // Netty closes the channel; the WebSocket had already ended.
        return;
      }
      ctx.fireExceptionCaught(cause);
    }
  }

  /** Notes the client's close frame, after which the server closes without draining. */
  private static final class CloseSeen extends ChannelInboundHandlerAdapter {

    private final Drain drain;

    CloseSeen(Drain drain) {
      this.drain = drain;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof CloseWebSocketFrame) {
        this.drain.closeReceived = true;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
