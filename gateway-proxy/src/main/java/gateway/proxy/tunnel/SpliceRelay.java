package gateway.proxy.tunnel;

import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.limit.Throttle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * Relays one side of a tunnel to the other with splice(2) (Linux epoll): the bytes go from socket
 * to pipe to socket without entering user space. One relay sits on each side; {@link #start} begins
 * the splice from a side to its peer.
 *
 * <p>Backpressure is Netty's: a side whose splice into the peer's pipe cannot be written on has its
 * auto-read turned off until that write completed, so a peer that does not read holds the side back
 * (kernel buffers and one pipe in between, nothing in user space).
 *
 * <p>Half-close: at a side's end of input, Netty may still hold back bytes in the socket behind a
 * full pipe (it stops splicing once it saw the FIN). Those bytes, at most a receive buffer, are
 * read out as buffers and queued behind what is already spliced; then the peer's output is shut
 * down and the other direction goes on. The side's reading is turned off for good: at its end of
 * input a level-triggered socket stays readable and would wake the loop for nothing.
 *
 * <p>Bytes passing the pipeline (what the client sent right after its CONNECT head) are written to
 * the peer as they are, ahead of everything spliced after them. The byte count comes from the
 * kernel: the relay on the side whose socket carries only tunnel bytes (the upstream one) reads it
 * before the socket closes.
 *
 * <p>Under a bandwidth limit ({@link Throttle}) a side splices one quantum at a time, each when the
 * buckets let it: reading stops (auto-read off) while they are empty and a scheduled grant resumes
 * it. The bytes still never enter user space; those few that pass the pipeline are charged too.
 */
final class SpliceRelay extends ChannelDuplexHandler {
  private final AbstractEpollStreamChannel peer;
  private final TunnelLog log;
  private final boolean counts;

  /** Limits this side's reading, or null. */
  private final Throttle throttle;

  private IdleTimeout peerIdle;

  SpliceRelay(AbstractEpollStreamChannel peer, TunnelLog log, boolean counts, Throttle throttle) {
    this.peer = peer;
    this.log = log;
    this.counts = counts;
    this.throttle = throttle;
  }

  /**
   * Splices what {@code side} receives into {@code peer} until either closes, as fast as {@code
   * throttle} lets (null: no limit). Both share a loop.
   */
  static void start(
      AbstractEpollStreamChannel side, AbstractEpollStreamChannel peer, Throttle throttle) {
    if (!side.isActive() || side.isInputShutdown()) {
      return;
    }
    if (throttle != null) {
      spliceLimited(side, peer, throttle);
      return;
    }
    side.spliceTo(peer, Integer.MAX_VALUE)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    f.channel().close();
                  }
                });
    side.config().setAutoRead(true);
  }

  /**
   * One quantum when the buckets let it go; when it is through, the next. In between reading is
   * off, so the socket is not read into buffers instead (Netty reads buffers when no splice is
   * queued).
   */
  private static void spliceLimited(
      AbstractEpollStreamChannel side, AbstractEpollStreamChannel peer, Throttle throttle) {
    Runnable go =
        () -> {
          if (!side.isActive() || side.isInputShutdown()) {
            throttle.settle(0);
            return;
          }
          int n = throttle.quantum();
          side.spliceTo(peer, n)
              .addListener(
                  (ChannelFutureListener)
                      f -> {
                        if (!f.isSuccess()) {
                          throttle.settle(0);
                          f.channel().close();
                          return;
                        }
                        throttle.settle(n);
                        side.config().setAutoRead(false);
                        if (side.isActive() && !side.isInputShutdown()) {
                          spliceLimited(side, peer, throttle);
                        }
                      });
          side.config().setAutoRead(true);
        };
    if (throttle.acquire(go)) {
      go.run();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    peerIdle = peer.pipeline().get(IdleTimeout.class);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (throttle != null && msg instanceof ByteBuf b) {
      throttle.charge(b.readableBytes());
    }
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // What this side spliced is written on the peer outside its pipeline: tell its idle timer.
    if (peerIdle != null) {
      peerIdle.touch();
    }
    peer.flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      AbstractEpollStreamChannel self = (AbstractEpollStreamChannel) ctx.channel();
      self.config().setAutoRead(false);
      count(ctx);
      if (peer.isActive()) {
        drain(ctx, self);
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
            .addListener(
                f -> {
                  peer.shutdownOutput()
                      .addListener(
                          g -> {
                            if (peer.isInputShutdown()) {
                              peer.close();
                            }
                          });
                });
      }
      if (self.isOutputShutdown()) {
        closeCounted(ctx);
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      closeCounted(ctx);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * Reads what the socket still holds after its FIN (bounded by its receive buffer) to the peer.
   */
  private void drain(ChannelHandlerContext ctx, AbstractEpollStreamChannel self) {
    FileDescriptor fd = self.fd();
    for (; ; ) {
      ByteBuf b = ctx.alloc().directBuffer(64 * 1024);
      int n;
      try {
        n = fd.read(b.nioBuffer(0, b.capacity()), 0, b.capacity());
      } catch (IOException e) {
        n = -1;
      }
      if (n <= 0) {
        b.release();
        return;
      }
      b.writerIndex(n);
      if (throttle != null) {
        throttle.charge(n);
      }
      peer.write(b, peer.voidPromise());
    }
  }

  /**
   * No reading once the input ended. A splice that completes turns auto-read back on, and Netty
   * 4.2.18 may already have taken the socket out of epoll (its interest set went empty): asking for
   * reads would fail with ENOENT and close the side, cutting off the direction that still runs.
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (!((AbstractEpollStreamChannel) ctx.channel()).isInputShutdown()) {
      ctx.read();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    count(ctx);
    ctx.close(promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    log.sideClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeCounted(ctx);
  }

  private void closeCounted(ChannelHandlerContext ctx) {
    count(ctx);
    ctx.close();
  }

  /** Takes the kernel's count while the socket is open; each later reading only adds. */
  private void count(ChannelHandlerContext ctx) {
    if (counts) {
      log.bytes = Math.max(log.bytes, TcpBytes.bothWays(ctx.channel()));
    }
  }
}
