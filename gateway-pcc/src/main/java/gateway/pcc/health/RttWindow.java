package gateway.pcc.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The last {@code capacity} probe rounds of one uplink. Each round contributes the number of probes
 * sent and lost, and one RTT: the median of the RTTs of the targets that answered in that round (so
 * several targets at different distances do not show up as jitter). Not thread-safe: owned by one
 * {@link UplinkHealth}.
 */
final class RttWindow {
  private record Round(int sent, int lost, long rttNanos) {}

  private static final long NO_RTT = -1;

  private final int capacity;
  private final Deque<Round> rounds = new ArrayDeque<>();

  RttWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("window of " + capacity + " rounds");
    }
    this.capacity = capacity;
  }

  void add(RoundResult round) {
    long[] rtts =
        round.targets().stream()
            .filter(TargetResult::ok)
            .mapToLong(t -> t.rtt().orElseThrow().toNanos())
            .toArray();
    int lost = (int) round.targets().stream().filter(t -> !t.ok()).count();
    rounds.addLast(
        new Round(round.targets().size(), lost, rtts.length == 0 ? NO_RTT : median(rtts)));
    while (rounds.size() > capacity) {
      rounds.removeFirst();
    }
  }

  /** Forgets all but the newest {@code keep} rounds. */
  void keepNewest(int keep) {
    while (rounds.size() > keep) {
      rounds.removeFirst();
    }
  }

  int size() {
    return rounds.size();
  }

  WindowStats stats() {
    if (rounds.isEmpty()) {
      return WindowStats.EMPTY;
    }
    long sent = 0;
    long lost = 0;
    long[] rtts = new long[rounds.size()];
    int n = 0;
    long jitterSum = 0;
    for (Iterator<Round> it = rounds.iterator(); it.hasNext(); ) {
      Round r = it.next();
      sent += r.sent();
      lost += r.lost();
      if (r.rttNanos() != NO_RTT) {
        if (n > 0) {
          jitterSum += Math.abs(r.rttNanos() - rtts[n - 1]);
        }
        rtts[n++] = r.rttNanos();
      }
    }
    double loss = sent == 0 ? 0 : 100.0 * lost / sent;
    Optional<Duration> median =
        n == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(median(Arrays.copyOf(rtts, n))));
    Optional<Duration> jitter =
        n < 2 ? Optional.empty() : Optional.of(Duration.ofNanos(jitterSum / (n - 1)));
    return new WindowStats(rounds.size(), loss, median, jitter);
  }

  /** The middle value; with an even count, the mean of the two middle values (rounded down). */
  static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : v[mid - 1] + (v[mid] - v[mid - 1]) / 2;
  }
}
