package gateway.proxy.limit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * A token bucket for one rate (bytes per second), shared by connections on any event loop, that
 * hands out its bytes fairly between clients when they contend: like one MikroTik queue with a
 * per-address PCQ below it, or a Squid delay pool. Pure logic: time comes from an injected
 * nanosecond clock, and waking up later from an injected {@link Scheduler}, so tests drive it with
 * a fake clock.
 *
 * <p>How a reader uses it: before each read it {@linkplain #acquire asks}; after the read it
 * {@linkplain #settle settles} with the bytes it really got. When the bucket holds tokens and
 * nobody waits, the read goes at once, reserving nothing, and is charged afterwards (the bucket may
 * go into debt by one read). Otherwise the reader queues under its client; whenever the bucket has
 * tokens again, the waiting client that has been served the fewest bytes goes next (start-time fair
 * queueing, by client), reserving {@code amount} tokens that its settle corrects. So clients that
 * all want more than their share get the same bytes, however many connections each has open and
 * however full their reads come back: fairness is per client, not per connection or first come,
 * first served. A client that was idle starts level with the others, not ahead by what it did not
 * use.
 *
 * <p>A rate of 0 is no limit: everything passes at once and nothing is counted. The rate can be
 * changed while connections use the bucket (a reload).
 */
public final class TokenBucket {
  /** Runs a task after a delay, e.g. on an event loop. */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(Runnable task, long delayNanos);
  }

  private record Waiter(long amount, Executor executor, Scheduler scheduler, Runnable granted) {}

  /** One client's place in the queue: its waiting reads and the bytes it has been served. */
  private static final class Flow {
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>(2);
    long served;
  }

  private final LongSupplier nanoTime;
  private long rate;
  private long burst;
  private double tokens;
  private long last;

  /** Clients that wait or were served lately, in the order they came (ties go to the earlier). */
  private final LinkedHashMap<Object, Flow> flows = new LinkedHashMap<>();

  private int waiting;

  /** The bytes served to the client picked last: where a client that comes back starts. */
  private long virtualTime;

  private boolean wakeScheduled;

  /**
   * @param rate bytes per second, 0 for none; the bucket starts full
   */
  public TokenBucket(long rate, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.last = nanoTime.getAsLong();
    setRate(rate);
    this.tokens = burst;
  }

  /**
   * How many bytes may pass in one burst: a quarter second's worth, at least two reads. Small, so
   * that a limited client's rate is smooth and a shared bucket's share is fair over short times;
   * not smaller, so that an event loop that wakes late (a busy machine) loses no tokens.
   */
  public static long burstFor(long rate) {
    return Math.max(rate / 4, 2 * quantumFor(rate));
  }

  /** The most one read should take: a sixteenth of a second's worth, 4..64 KiB. */
  public static int quantumFor(long rate) {
    if (rate <= 0) {
      return 64 * 1024;
    }
    return (int) Math.max(4 * 1024, Math.min(64 * 1024, rate / 16));
  }

  public synchronized long rate() {
    return rate;
  }

  public synchronized boolean isUnlimited() {
    return rate <= 0;
  }

  /** Changes the rate; waiting readers are served by the new one (all at once when it is 0). */
  public void setRate(long newRate) {
    List<Waiter> ready;
    synchronized (this) {
      refill();
      rate = Math.max(0, newRate);
      burst = burstFor(rate);
      tokens = Math.min(tokens, burst);
      ready = serveLocked();
    }
    dispatch(ready);
  }

  /**
   * Asks for one read of at most {@code amount} bytes by {@code client}. Returns true when it may
   * go now (nothing reserved: settle with reserved 0). Otherwise returns false and {@code granted}
   * runs on {@code executor} once it may go, with {@code amount} reserved.
   */
  public boolean acquire(
      Object client, long amount, Executor executor, Scheduler scheduler, Runnable granted) {
    synchronized (this) {
      if (rate <= 0) {
        return true;
      }
      refill();
      if (waiting == 0 && tokens > 0) {
        return true;
      }
      Flow f = flows.computeIfAbsent(client, k -> new Flow());
      if (f.waiters.isEmpty()) {
        f.served = Math.max(f.served, virtualTime);
      }
      f.waiters.add(new Waiter(amount, executor, scheduler, granted));
      waiting++;
      if (!wakeScheduled) {
        scheduleWake(scheduler);
      }
    }
    return false;
  }

  /**
   * After a read by {@code client}: {@code reserved} is what its grant reserved (0 when it went at
   * once), {@code used} what it read.
   */
  public synchronized void settle(Object client, long reserved, long used) {
    if (rate <= 0) {
      return;
    }
    refill();
    tokens = Math.min(burst, tokens + reserved - used);
    Flow f = flows.get(client);
    if (f != null) {
      f.served += used - reserved;
    }
  }

  /** Tokens now (negative: in debt), for tests and status. */
  public synchronized double tokens() {
    refill();
    return tokens;
  }

  /** Readers waiting now. */
  public synchronized int waiting() {
    return waiting;
  }

  /** Serves the waiting readers the tokens allow: the scheduled wake-up. */
  void wake() {
    List<Waiter> ready;
    synchronized (this) {
      wakeScheduled = false;
      refill();
      ready = serveLocked();
    }
    dispatch(ready);
  }

  private List<Waiter> serveLocked() {
    if (waiting == 0) {
      return List.of();
    }
    List<Waiter> ready = new ArrayList<>();
    while (waiting > 0 && (rate <= 0 || tokens > 0)) {
      Flow next = null;
      for (Flow f : flows.values()) {
        if (!f.waiters.isEmpty() && (next == null || f.served < next.served)) {
          next = f;
        }
      }
      Waiter w = next.waiters.poll();
      waiting--;
      virtualTime = next.served;
      next.served += w.amount();
      if (rate > 0) {
        tokens -= w.amount();
      }
      ready.add(w);
    }
    // A client that waits for nothing and is not ahead would start at virtualTime anyway: forget
    // it.
    Iterator<Flow> it = flows.values().iterator();
    while (it.hasNext()) {
      Flow f = it.next();
      if (f.waiters.isEmpty() && f.served <= virtualTime) {
        it.remove();
      }
    }
    if (waiting > 0 && !wakeScheduled) {
      for (Flow f : flows.values()) {
        if (!f.waiters.isEmpty()) {
          scheduleWake(f.waiters.peek().scheduler());
          break;
        }
      }
    }
    return ready;
  }

  /** Wakes up when the bucket holds a token again. */
  private void scheduleWake(Scheduler scheduler) {
    wakeScheduled = true;
    double missing = 1 - tokens;
    long delay = Math.max(100_000L, (long) Math.ceil(missing * 1e9 / rate));
    scheduler.schedule(this::wake, delay);
  }

  private static void dispatch(List<Waiter> ready) {
    for (Waiter w : ready) {
      w.executor().execute(w.granted());
    }
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    last = now;
    if (rate > 0 && elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * (double) rate / 1e9);
    }
  }
}
