package io.github.webpubsub.emulator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * A deadline for the head of every HTTP request: a connection must send the whole request line and
 * headers within the timeout of connecting, or of the end of the previous response when it is kept
 * alive. Reactor Netty's own timeouts do not cover this: its idle timeout is reset by every byte (a
 * client sending one byte a second holds the connection forever) and its read and request timeouts
 * start once the head has arrived. A connection that sent part of a head gets {@code 408} and is
 * closed; an idle kept-alive one is just closed. The deadline stops at a WebSocket upgrade ({@code
 * 101}); a request being answered is never cut.
 */
final class RequestHeadTimeout {

  private static final String RAW = "webpubsub.requestHeadTimeout.bytes";

  private static final String DECODED = "webpubsub.requestHeadTimeout";

  private final long timeoutMillis;

  private @Nullable ScheduledFuture<?> deadline;

  /** Requests whose head arrived and whose response has not ended. */
  private int open;

  /** Whether bytes of the next request arrived since the deadline was armed. */
  private boolean partial;

  private boolean upgraded;

  /** Set once the 408 is written: inbound bytes are dropped until the connection closes. */
  private boolean draining;

  private static final long LINGER_MILLIS = 1000;

  private RequestHeadTimeout(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
  }

  /** Installs the deadline on a new server connection, around Reactor Netty's HTTP codec. */
  static void install(Channel channel, Duration timeout) {
    if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
      return; // not an HTTP/1.1 connection
    }
    RequestHeadTimeout state = new RequestHeadTimeout(timeout);
    channel.pipeline().addBefore(NettyPipeline.HttpCodec, RAW, state.new Bytes());
    channel.pipeline().addAfter(NettyPipeline.HttpCodec, DECODED, state.new Messages());
    if (channel.isActive()) {
      state.arm(channel.pipeline().context(DECODED));
    }
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    this.partial = false;
    this.deadline =
        ctx.executor().schedule(() -> expire(ctx), this.timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    ScheduledFuture<?> current = this.deadline;
    if (current != null) {
      current.cancel(false);
      this.deadline = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    this.deadline = null;
    if (this.upgraded || this.open > 0 || !ctx.channel().isActive()) {
      return;
    }
    if (!this.partial) {
      ctx.channel().close();
      return;
    }
    ByteBuf body =
        Unpooled.copiedBuffer(
            "{\"code\":\"Error.RequestTimeout\",\"message\":\"The request head (request line and"
                + " headers) did not arrive within "
                + this.timeoutMillis
                + " ms\",\"target\":\"request\"}",
            StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set("x-ms-error-code", "Error.RequestTimeout");
    // Closing with unread bytes would reset the connection and lose the 408 on the way: end the
    // output, drop what still comes in, and close once the client does or a moment later.
    this.draining = true;
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                (written) -> {
                  if (written.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                    ctx.executor()
                        .schedule(
                            () -> ctx.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                  } else {
                    written.channel().close();
                  }
                });
  }

  /** Before the codec: notes that bytes of a request arrived. */
  private final class Bytes extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (RequestHeadTimeout.this.draining) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (RequestHeadTimeout.this.upgraded) {
        ctx.pipeline().remove(this);
      } else {
        RequestHeadTimeout.this.partial = true;
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** After the codec: a decoded head stops the deadline, the end of a response restarts it. */
  private final class Messages extends ChannelDuplexHandler {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      arm(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      disarm();
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (RequestHeadTimeout.this.draining) {
        // The codec's "connection closed before received headers" for the head that timed out:
        // already answered with the 408, so not passed on (Reactor Netty would log it).
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpRequest) {
        RequestHeadTimeout.this.open++;
        disarm();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response
          && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // 100 Continue: the request goes on. 101: a WebSocket from now on, no more heads.
        if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
          RequestHeadTimeout.this.upgraded = true;
          disarm();
          ctx.write(msg, promise);
          ctx.pipeline().remove(this);
          // Reactor Netty's read timeout of the request body would otherwise stay and close an
          // idle WebSocket.
          if (ctx.pipeline().get(NettyPipeline.ReadTimeoutHandler) != null) {
            ctx.pipeline().remove(NettyPipeline.ReadTimeoutHandler);
          }
          return;
        }
      } else if (msg instanceof LastHttpContent && !RequestHeadTimeout.this.upgraded) {
        RequestHeadTimeout.this.open = Math.max(0, RequestHeadTimeout.this.open - 1);
        if (RequestHeadTimeout.this.open == 0) {
          arm(ctx);
        }
      }
      ctx.write(msg, promise);
    }
  }
}
