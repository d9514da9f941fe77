package gateway.pcc.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One probe in flight: its result promise, its deadline and its channel. The first outcome wins; it
 * cancels the deadline and closes the channel. Used on the probe's event loop only.
 */
final class Attempt {
  private final EventLoop loop;
  private final String target;
  private final LongSupplier nanoTime;
  private final Promise<TargetResult> promise;
  private final ScheduledFuture<?> deadline;
  private Channel channel;
  private long start;

  Attempt(EventLoop loop, String target, ProbeContext context) {
    this.loop = loop;
    this.target = target;
    this.nanoTime = context.nanoTime();
    this.promise = loop.newPromise();
    this.deadline =
        loop.schedule(() -> fail("timeout"), context.timeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  EventLoop loop() {
    return loop;
  }

  Future<TargetResult> future() {
    return promise;
  }

  boolean done() {
    return promise.isDone();
  }

  /** The channel to close when the attempt ends (closed at once if it has ended already). */
  void channel(Channel ch) {
    channel = ch;
    if (promise.isDone()) {
      ch.close();
    }
  }

  /** From now on the RTT is measured. */
  void startClock() {
    start = nanoTime.getAsLong();
  }

  void passed() {
    finish(TargetResult.ok(target, Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - start))));
  }

  void passed(Duration rtt) {
    finish(TargetResult.ok(target, rtt));
  }

  void fail(String reason) {
    finish(TargetResult.failed(target, reason));
  }

  void fail(Throwable cause) {
    fail(Failures.reason(cause));
  }

  private void finish(TargetResult result) {
    if (promise.trySuccess(result)) {
      deadline.cancel(false);
      if (channel != null) {
        channel.close();
      }
    }
  }
}
