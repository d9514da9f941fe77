package gateway.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays bytes from one side of a tunnel to the other. One relay sits on each side. Backpressure: a
 * side is read only while its peer can take more, and read again when the peer drains. Half-close:
 * when one side ends its output, the peer's output is shut down after what is pending is flushed,
 * and the other direction goes on until it ends too.
 */
final class TunnelRelay extends ChannelInboundHandlerAdapter {
  private final Channel peer;
  private final TunnelLog log;

  TunnelRelay(Channel peer, TunnelLog log) {
    this.peer = peer;
    this.log = log;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf b) {
      log.bytes += b.readableBytes();
    }
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (peer.isWritable()) {
      readMore(ctx.channel());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Our side drained: the peer may send more towards us.
    if (ctx.channel().isWritable()) {
      readMore(peer);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      // This side will send no more: pass the end on once what it sent is flushed.
      if (peer instanceof DuplexChannel d && peer.isActive()) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
            .addListener(
                f ->
                    d.shutdownOutput()
                        .addListener(
                            g -> {
                              if (d.isInputShutdown()) {
                                d.close();
                              }
                            }));
      }
      if (ctx.channel() instanceof DuplexChannel self && self.isOutputShutdown()) {
        ctx.close();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    log.sideClosed();
  }

  /**
   * Asks {@code side} for more data unless it already sent its end. With epoll, a read requested on
   * a socket whose input is shut down fails (epoll_ctl: ENOENT) and the channel closes, cutting off
   * the direction that is still running.
   */
  static void readMore(Channel side) {
    if (!(side instanceof DuplexChannel d) || !d.isInputShutdown()) {
      side.read();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
