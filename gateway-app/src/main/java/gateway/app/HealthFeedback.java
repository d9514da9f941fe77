package gateway.app;

import gateway.core.net.Uplink;
import gateway.pcc.health.HealthMonitor;
import gateway.pcc.health.UplinkState;
import gateway.pcc.health.WindowStats;
import gateway.proxy.upstream.UplinkFeedback;
import java.time.Duration;

/**
 * Joins connecting and health: client connects feed the monitor as passive evidence, and the
 * monitor's RTT sets how long a connect may stall before the next uplink races it.
 *
 * <p>The race deadline is three times the uplink's median probe RTT plus four times its jitter,
 * within 150 ms .. 1 s: long enough that a healthy but distant origin is not raced needlessly (the
 * probe RTT is to a target near the ISP), short enough that a dead uplink costs a user well under a
 * second. Before any RTT is known, 1 s.
 */
final class HealthFeedback implements UplinkFeedback {
  static final Duration MIN = Duration.ofMillis(150);
  static final Duration MAX = Duration.ofSeconds(1);

  private final HealthMonitor monitor;

  HealthFeedback(HealthMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public Duration raceAfter(Uplink uplink) {
    UplinkState state = monitor.states().get(uplink.name());
    if (state == null) {
      return MAX;
    }
    return raceAfter(state.stats());
  }

  static Duration raceAfter(WindowStats stats) {
    if (stats.rttMedian().isEmpty()) {
      return MAX;
    }
    Duration d =
        stats
            .rttMedian()
            .get()
            .multipliedBy(3)
            .plus(stats.jitter().orElse(Duration.ZERO).multipliedBy(4));
    if (d.compareTo(MIN) < 0) {
      return MIN;
    }
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  @Override
  public void connected(Uplink uplink, long nanos) {
    monitor.connectOutcome(uplink.name(), true, Duration.ofNanos(nanos));
  }

  @Override
  public void failed(Uplink uplink, Throwable cause) {
    monitor.connectOutcome(uplink.name(), false, Duration.ZERO);
  }

  @Override
  public void lostRace(Uplink uplink) {
    monitor.lostRace(uplink.name());
  }
}
