package gateway.pcc.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One uplink changed state, with the evidence: why, which targets failed in the last round and how,
 * and the window's loss and RTT at that moment.
 *
 * <h2>Log line (format v1)</h2>
 *
 * <p>{@link #logLine()} gives one line, logged at WARN when the uplink leaves selection ({@link
 * #warning()}) and at INFO when it comes back:
 *
 * <pre>
 * uplink isp1 UP -&gt; DOWN: 3 failed rounds in a row; failed: tcp://198.18.100.53:80 timeout,
 *     http://198.18.100.1/generate_204 refused; loss 12.5%, rtt 23.0ms, jitter 4.1ms
 * uplink isp1 DOWN -&gt; UP: 5 good rounds in a row; loss 0.0%, rtt 21.3ms, jitter 0.4ms
 * </pre>
 *
 * (each on one line). The {@code failed:} part appears only when a target failed in the last round;
 * an RTT or jitter that is not known prints as {@code n/a}. Times are milliseconds with one
 * decimal.
 *
 * @param uplink the uplink's name
 * @param from the state before
 * @param to the state after
 * @param at when the change happened (wall clock)
 * @param cause why, in words, e.g. {@code 3 failed rounds in a row}
 * @param failedTargets the targets that failed in the last probe round, with their reasons
 * @param stats the window's statistics when the change happened
 */
public record StateChange(
    String uplink,
    HealthState from,
    HealthState to,
    Instant at,
    String cause,
    List<TargetResult> failedTargets,
    WindowStats stats) {

  public StateChange {
    Objects.requireNonNull(uplink, "uplink");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(stats, "stats");
    failedTargets = List.copyOf(failedTargets);
  }

  /** Whether the uplink left selection (log at WARN) rather than came back (log at INFO). */
  public boolean warning() {
    return !to.available();
  }

  /** The one log line for this change; see the class comment for the format. */
  public String logLine() {
    StringBuilder b =
        new StringBuilder()
            .append("uplink ")
            .append(uplink)
            .append(' ')
            .append(from)
            .append(" -> ")
            .append(to)
            .append(": ")
            .append(cause);
    if (!failedTargets.isEmpty()) {
      b.append("; failed: ")
          .append(
              failedTargets.stream()
                  .map(t -> t.target() + " " + t.reason())
                  .collect(Collectors.joining(", ")));
    }
    b.append("; loss ")
        .append(percent(stats.lossPercent()))
        .append(", rtt ")
        .append(millis(stats.rttMedian()))
        .append(", jitter ")
        .append(millis(stats.jitter()));
    return b.toString();
  }

  static String percent(double p) {
    return String.format(Locale.ROOT, "%.1f%%", p);
  }

  static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
  }

  static String millis(Optional<Duration> d) {
    return d.map(StateChange::millis).orElse("n/a");
  }
}
