package gateway.proxy.limit;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one connection under one or more {@link TokenBucket}s (the client's own, its
 * group's, the uplink's): before each read every bucket in turn must let it go, after it each is
 * charged what was read. Confined to the connection's event loop; the buckets are shared.
 */
public final class Throttle {
  private final TokenBucket[] buckets;
  private final Object client;
  private final int quantum;
  private final EventLoop loop;
  private final TokenBucket.Scheduler scheduler;
  private final long[] reserved;

  /**
   * @param client whom the buckets share fairly between (the client's address)
   */
  Throttle(List<TokenBucket> buckets, Object client, EventLoop loop) {
    this.buckets = buckets.toArray(TokenBucket[]::new);
    this.client = client;
    this.loop = loop;
    this.scheduler = (task, nanos) -> loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
    this.reserved = new long[this.buckets.length];
    this.quantum =
        buckets.stream().mapToInt(b -> TokenBucket.quantumFor(b.rate())).min().orElse(64 * 1024);
  }

  /** The most one read should take, so that a read does not overdraw the slowest bucket much. */
  public int quantum() {
    return quantum;
  }

  /**
   * Asks for one read. Returns true when it may go now; otherwise returns false and runs {@code
   * then} on the event loop once every bucket let it go.
   */
  public boolean acquire(Runnable then) {
    return from(0, then);
  }

  private boolean from(int start, Runnable then) {
    for (int i = start; i < buckets.length; i++) {
      int at = i;
      reserved[i] = 0;
      boolean now =
          buckets[i].acquire(
              client,
              quantum,
              loop,
              scheduler,
              () -> {
                reserved[at] = quantum;
                if (from(at + 1, then)) {
                  then.run();
                }
              });
      if (!now) {
        return false;
      }
    }
    return true;
  }

  /**
   * Charges bytes that came outside a grant (e.g. read off a socket at its end) to every bucket.
   */
  public void charge(long bytes) {
    for (TokenBucket b : buckets) {
      b.settle(client, 0, bytes);
    }
  }

  /** After the read the last grant allowed: charges every bucket {@code used} bytes. */
  public void settle(long used) {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i].settle(client, reserved[i], used);
      reserved[i] = 0;
    }
  }
}
