package gateway.proxy.limit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Slows a connection's reading to its {@link Throttle}: first in a pipeline, it holds back each
 * {@code read()} until the throttle's buckets let it go, and charges them what the read brought. The
 * proxy reads explicitly (AUTO_READ off), so holding back the read is all it takes: nothing is buffered,
 * the sender is slowed by TCP. While limited, one read takes at most the throttle's quantum (the gate
 * caps the channel's read sizes from its first read on: add it before the channel reads).
 *
 * <p>Without a throttle it passes everything on. The throttle can change while the connection lives (an
 * upstream connection serves one client, then waits in the pool, then serves another). Confined to the
 * channel's event loop.
 */
public final class ReadGate extends ChannelDuplexHandler {
  private ChannelHandlerContext ctx;
  private Throttle throttle;
  /** Bumped when the throttle changes: a grant for the old one is then only settled. */
  private int generation;
  private boolean waiting;
  private boolean granted;
  private long bytes;

  public static ReadGate of(Channel ch) {
    return ch.pipeline().get(ReadGate.class);
  }

  /** Whether reads of this channel are limited now. */
  public static boolean limits(Channel ch) {
    ReadGate g = of(ch);
    return g != null && g.throttle != null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().config().setRecvByteBufAllocator(
        new CappedReads(ctx.channel().config().getRecvByteBufAllocator(), this::readCap));
  }

  /** The most one read may take now: the throttle's quantum, or 0 for no cap. */
  private int readCap() {
    Throttle t = throttle;
    return t == null ? 0 : t.quantum();
  }

  /** Limits reading by {@code t} from now on; null: no limit. Call on the event loop. */
  public void use(Throttle t) {
    if (t == throttle) {
      return;
    }
    finishRead();
    generation++;
    boolean wasWaiting = waiting;
    waiting = false;
    throttle = t;
    if (wasWaiting) {
      read(ctx);
    }
  }

  /**
   * Stops limiting here and hands the throttle over (a tunnel that splices moves its bytes outside the
   * pipeline and limits them itself). Returns null when there was none.
   */
  public Throttle handOver() {
    Throttle t = throttle;
    if (t != null) {
      finishRead();
      generation++;
      waiting = false;
      throttle = null;
    }
    return t;
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    Throttle t = throttle;
    if (t == null || granted) {
      // Unlimited, or a read was let go and has not completed: Netty has it pending already.
      ctx.read();
      return;
    }
    if (waiting) {
      return;
    }
    waiting = true;
    int gen = generation;
    Runnable go = () -> {
      if (gen != generation) {
        t.settle(0);
        return;
      }
      waiting = false;
      if (!ctx.channel().isActive()) {
        t.settle(0);
        return;
      }
      granted = true;
      ctx.read();
    };
    if (t.acquire(go)) {
      go.run();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (granted && msg instanceof ByteBuf b) {
      bytes += b.readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Settle before passing it on: the handlers after this one ask for the next read from here.
    finishRead();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    finishRead();
    ctx.fireChannelInactive();
  }

  private void finishRead() {
    if (granted) {
      granted = false;
      throttle.settle(bytes);
      bytes = 0;
    }
  }
}
