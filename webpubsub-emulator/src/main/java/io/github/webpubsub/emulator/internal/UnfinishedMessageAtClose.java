package io.github.webpubsub.emulator.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * Sits after Reactor Netty's WebSocket frame aggregator and drops the {@link
 * PrematureChannelClosureException} it raises when a connection ends in the middle of a fragmented
 * message (the client went away, or the emulator closed it for a frame it refused). The session has
 * ended by then and has its reason; passed on, the exception would only reach the ended inbound
 * stream and be logged as a warning, although it is no fault of the emulator's.
 */
@ChannelHandler.Sharable
final class UnfinishedMessageAtClose extends ChannelInboundHandlerAdapter {

  private static final String NAME = "webpubsub.unfinishedMessageAtClose";

  private static final UnfinishedMessageAtClose INSTANCE = new UnfinishedMessageAtClose();

  private UnfinishedMessageAtClose() {}

  /** Installs the handler right after the frame aggregator, if the connection has one. */
  static void install(Connection connection) {
    if (connection.channel().pipeline().get(NettyPipeline.WsFrameAggregator) != null
        && connection.channel().pipeline().get(NAME) == null) {
      connection.channel().pipeline().addAfter(NettyPipeline.WsFrameAggregator, NAME, INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof PrematureChannelClosureException) {
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
