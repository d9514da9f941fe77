package gateway.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Defends against slowloris: once the first byte of a request head arrives, the whole head must
 * arrive within {@code timeouts.request-header}, else the client gets 408 and the connection
 * closes. Sits in front of the HTTP decoder and watches raw bytes; {@link ClientHandler} says when
 * a head is complete and when the next one may begin.
 *
 * <p>One timer per connection, re-armed for the time left, checks the start of the current head; no
 * timer is scheduled or cancelled per request. Time is the event loop's {@link Ticker} (a test's
 * mock ticker on an {@code EmbeddedChannel}).
 */
public final class RequestHeadTimer extends ChannelInboundHandlerAdapter {
  private static final byte[] TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 51\r\nConnection: close\r\n\r\n"
              + "the request head did not arrive in time; try again\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final long timeoutNanos;
  private ChannelHandlerContext ctx;
  private boolean awaitingHead = true;

  /** Whether the first byte of the head being read has arrived, at {@link #headStart}. */
  private boolean headBegun;

  /** When that first byte arrived, on the event loop's ticker. */
  private long headStart;

  private ScheduledFuture<?> timer;

  public RequestHeadTimer(long timeoutMillis) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaitingHead && !headBegun && msg instanceof ByteBuf b && b.isReadable()) {
      headBegun = true;
      headStart = ticker().nanoTime();
      if (timer == null) {
        arm(timeoutNanos);
      }
    }
    ctx.fireChannelRead(msg);
  }

  void headReceived() {
    awaitingHead = false;
    headBegun = false;
  }

  void awaitHead() {
    awaitingHead = true;
  }

  private void arm(long delayNanos) {
    timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive() || !awaitingHead || !headBegun) {
      return;
    }
    long waited = ticker().nanoTime() - headStart;
    if (waited < timeoutNanos) {
      arm(timeoutNanos - waited);
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
  }

  private Ticker ticker() {
    return ctx.executor().ticker();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
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
}
