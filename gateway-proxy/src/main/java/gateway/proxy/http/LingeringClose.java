package gateway.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a client connection whose client may still be sending: the output is shut down (a FIN after
 * the last answer), then what the client sends is read and dropped, unparsed, until it closes its
 * side or {@link #LINGER_MILLIS} pass, and only then the socket closes. Closing at once with unread
 * bytes would reset the connection, and the client's TCP could then drop answers it had not yet
 * read (RFC 9112 9.6: close in stages).
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
  /**
   * How long the client may go on sending after the last answer before the socket closes anyway.
   */
  static final long LINGER_MILLIS = 2_000;

  /** A listener on the write of the last answer: starts the lingering close once it is written. */
  static final ChannelFutureListener AFTER_WRITE = f -> start(f.channel(), f.isSuccess());

  private ScheduledFuture<?> deadline;

  private LingeringClose() {}

  private static void start(Channel ch, boolean written) {
    if (!written || !ch.isActive() || !(ch instanceof DuplexChannel duplex)) {
      ch.close();
      return;
    }
    // First in the pipeline: the bytes that follow never reach the HTTP decoder.
    ch.pipeline().addFirst(new LingeringClose());
    duplex
        .shutdownOutput()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ch.close();
              }
            });
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.close();
                },
                LINGER_MILLIS,
                TimeUnit.MILLISECONDS);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      // The client has closed its side too: nothing more can be lost.
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.cancel(false);
    ctx.fireChannelInactive();
  }
}
