package gateway.proxy.channel;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Closes nothing itself: fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a connection has
 * had no read and no write for the idle timeout, for the handler that owns the connection to act
 * on.
 *
 * <p>Unlike Netty's IdleStateHandler it adds no listener to every write and reschedules nothing per
 * message: activity only stamps a time, and one timer per connection, re-armed for the time that is
 * left, checks that stamp. That matters at tens of thousands of requests a second.
 *
 * <p>A spliced tunnel moves its bytes in the kernel: no message passes the pipeline, but every read
 * event still ends in {@code channelReadComplete}, and the relay reports what it wrote with {@link
 * #touch()}.
 *
 * <p>Time is the event loop's {@link Ticker}: the system's on a real loop, a test's mock ticker on
 * an {@code EmbeddedChannel}, so a test moves time instead of waiting it out.
 */
public final class IdleTimeout extends ChannelDuplexHandler {
  private final long idleNanos;
  private long lastActivity;
  private ScheduledFuture<?> timer;
  private ChannelHandlerContext ctx;
  private Ticker ticker;

  public IdleTimeout(long idleMillis) {
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isRegistered()) {
      start();
    }
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    if (timer == null) {
      start();
    }
    ctx.fireChannelRegistered();
  }

  /** The connection's time starts when it has an event loop, and with it the loop's ticker. */
  private void start() {
    ticker = ctx.executor().ticker();
    lastActivity = ticker.nanoTime();
    arm(idleNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActivity = ticker.nanoTime();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastActivity = ticker.nanoTime();
    ctx.fireChannelReadComplete();
  }

  /**
   * Counts as activity something that did not pass the pipeline (bytes spliced into the socket).
   * Call on the connection's event loop.
   */
  public void touch() {
    lastActivity = ticker.nanoTime();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = ticker.nanoTime();
    ctx.write(msg, promise);
  }

  private void arm(long delayNanos) {
    timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isOpen()) {
      return;
    }
    long idle = ticker.nanoTime() - lastActivity;
    if (idle >= idleNanos) {
      lastActivity = ticker.nanoTime();
      arm(idleNanos);
      ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    } else {
      arm(idleNanos - idle);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
