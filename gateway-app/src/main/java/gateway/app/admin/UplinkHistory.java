package gateway.app.admin;

import gateway.core.metrics.UplinkCounters;
import gateway.pcc.health.RoundResult;
import gateway.pcc.health.TargetResult;
import gateway.pcc.health.UplinkState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the status page draws: per uplink, one sample a second over the last ten minutes of its
 * probe RTT, its loss and its throughput, in a ring buffer. Fed by {@link #sample} (the admin
 * listener calls it every second with the monitor's states and the traffic counters); time comes in
 * as an argument, so tests drive it with made-up instants. Thread-safe (one lock; a sample and a
 * read are short).
 */
public final class UplinkHistory {
  /** Ten minutes at one sample a second. */
  public static final int CAPACITY = 600;

  /**
   * One moment of one uplink.
   *
   * @param atMillis epoch milliseconds
   * @param rttMillis median RTT of the targets that answered in the latest probe round; NaN when
   *     the round failed or none has run
   * @param lossPercent probe loss over the health window, 0..100
   * @param inBytesPerSecond bytes received from the internet through the uplink since the previous
   *     sample, per second
   * @param outBytesPerSecond bytes sent, likewise
   */
  public record Sample(
      long atMillis,
      double rttMillis,
      double lossPercent,
      double inBytesPerSecond,
      double outBytesPerSecond) {}

  private final int capacity;
  private final Map<String, Sample[]> rings = new LinkedHashMap<>();
  private final Map<String, UplinkCounters.Snapshot> lastBytes = new LinkedHashMap<>();
  private long lastAt = -1;
  private int next;

  public UplinkHistory() {
    this(CAPACITY);
  }

  UplinkHistory(int capacity) {
    this.capacity = capacity;
  }

  /** Takes one sample of every uplink in {@code states}. */
  public synchronized void sample(
      long nowMillis,
      Map<String, UplinkState> states,
      Map<String, UplinkCounters.Snapshot> counters) {
    double seconds = lastAt < 0 ? 0 : Math.max(1, nowMillis - lastAt) / 1000.0;
    for (UplinkState s : states.values()) {
      UplinkCounters.Snapshot now = counters.getOrDefault(s.name(), ZERO);
      UplinkCounters.Snapshot before = lastBytes.getOrDefault(s.name(), now);
      double in = seconds == 0 ? 0 : (now.bytesIn() - before.bytesIn()) / seconds;
      double out = seconds == 0 ? 0 : (now.bytesOut() - before.bytesOut()) / seconds;
      lastBytes.put(s.name(), now);
      Sample sample =
          new Sample(
              nowMillis,
              roundRtt(s.lastRound()),
              s.stats().lossPercent(),
              Math.max(0, in),
              Math.max(0, out));
      Sample[] ring = rings.computeIfAbsent(s.name(), k -> new Sample[capacity]);
      ring[next] = sample;
    }
    next = (next + 1) % capacity;
    lastAt = nowMillis;
  }

  /** Each uplink's samples, oldest first. */
  public synchronized Map<String, List<Sample>> samples() {
    Map<String, List<Sample>> out = new LinkedHashMap<>();
    rings.forEach(
        (name, ring) -> {
          List<Sample> l = new ArrayList<>(capacity);
          for (int i = 0; i < capacity; i++) {
            Sample s = ring[(next + i) % capacity];
            if (s != null) {
              l.add(s);
            }
          }
          out.put(name, l);
        });
    return out;
  }

  /** The newest sample of {@code uplink}, if any. */
  public synchronized Optional<Sample> latest(String uplink) {
    Sample[] ring = rings.get(uplink);
    return ring == null
        ? Optional.empty()
        : Optional.ofNullable(ring[(next - 1 + capacity) % capacity]);
  }

  private static final UplinkCounters.Snapshot ZERO = new UplinkCounters.Snapshot(0, 0, 0, 0);

  /** The median RTT of the targets that answered in a passed round, in ms; NaN otherwise. */
  static double roundRtt(Optional<RoundResult> round) {
    if (round.isEmpty() || !round.get().passed()) {
      return Double.NaN;
    }
    List<Duration> rtts =
        round.get().targets().stream()
            .filter(TargetResult::ok)
            .map(t -> t.rtt().get())
            .sorted()
            .toList();
    if (rtts.isEmpty()) {
      return Double.NaN;
    }
    int n = rtts.size();
    long nanos =
        n % 2 == 1
            ? rtts.get(n / 2).toNanos()
            : (rtts.get(n / 2 - 1).toNanos() + rtts.get(n / 2).toNanos()) / 2;
    return nanos / 1e6;
  }
}
