package gateway.proxy.limit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Slows a connection's reading to its {@link Throttle}: first in a pipeline, it holds back each
 * {@code read()} until the throttle's buckets let it go, and charges them what the read brought.
 * The proxy reads explicitly (AUTO_READ off), so holding back the read is all it takes: nothing is
 * buffered, the sender is slowed by TCP. While limited, one read takes at most the throttle's
 * quantum (the gate caps the channel's read sizes from its first read on: add it before the channel
 * reads).
 *
 * <p>One grant covers one read of Netty's, from the {@code read()} it let go to the {@code
 * channelReadComplete} that ends it. A handler that asks for the next read while this one is still
 * being delivered (from {@code channelRead}) is answered after it completed, through the buckets:
 * passed on at once, Netty would take it as already asked for and read again after the grant ended,
 * without one.
 *
 * <p>Without a throttle it passes everything on. The throttle can change while the connection lives
 * (an upstream connection serves one client, then waits in the pool, then serves another; a
 * client's reads go under an uplink's upload bucket while its request body goes up through that
 * uplink). A read Netty was already asked for when the throttle changed is charged to the new one.
 * Confined to the channel's event loop.
 *
 * <p>What it cannot hold back: when the sender's end of input arrives (EPOLLRDHUP), Netty 4.2 reads
 * the socket to its end in one go, whatever was asked. Those bytes (at most what the kernel
 * buffered for this socket: the sender had to fit them in before its FIN) are charged to the
 * buckets all the same, so the client pays them back with its next bytes: the limit holds over
 * time, while the last part of a transfer whose sender closes at once comes faster. Holding them
 * here instead would mean buffering up to a receive buffer per connection and holding back the end
 * of input behind them.
 */
public final class ReadGate extends ChannelDuplexHandler {
  private ChannelHandlerContext ctx;
  private Throttle throttle;

  /** Bumped when the throttle changes: a grant for the old one is then only settled. */
  private int generation;

  private boolean waiting;
  private boolean granted;

  /** Between a read's first channelRead and its channelReadComplete. */
  private boolean delivering;

  /** A handler asked for the next read while one was being delivered. */
  private boolean readAfterThis;

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
    ctx.channel()
        .config()
        .setRecvByteBufAllocator(
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
    // What the old throttle let go is charged to it; a read still to come is the new one's.
    boolean pending = granted;
    finishRead();
    granted = pending && t != null;
    generation++;
    boolean wasWaiting = waiting;
    waiting = false;
    throttle = t;
    if (wasWaiting) {
      read(ctx);
    }
  }

  /**
   * Stops limiting here and hands the throttle over (a tunnel that splices moves its bytes outside
   * the pipeline and limits them itself). Returns null when there was none.
   */
  public Throttle handOver() {
    Throttle t = throttle;
    if (t != null) {
      finishRead();
      generation++;
      waiting = false;
      readAfterThis = false;
      throttle = null;
    }
    return t;
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    Throttle t = throttle;
    if (t == null) {
      ctx.read();
      return;
    }
    if (delivering) {
      readAfterThis = true;
      return;
    }
    if (granted) {
      // A read was let go and has not come yet: Netty has it pending already.
      ctx.read();
      return;
    }
    if (waiting) {
      return;
    }
    waiting = true;
    int gen = generation;
    Runnable go =
        () -> {
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
    if (throttle != null && msg instanceof ByteBuf b) {
      delivering = true;
      bytes += b.readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Settle before passing it on: the handlers after this one ask for the next read from here.
    delivering = false;
    finishRead();
    if (readAfterThis) {
      readAfterThis = false;
      read(ctx);
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    delivering = false;
    readAfterThis = false;
    finishRead();
    ctx.fireChannelInactive();
  }

  /** Charges the read that ended (or the part read before the throttle changed). */
  private void finishRead() {
    if (granted) {
      granted = false;
      throttle.settle(bytes);
    } else if (bytes > 0 && throttle != null) {
      // A read Netty was asked for while nothing limited it: charged all the same.
      throttle.charge(bytes);
    }
    bytes = 0;
  }
}
