package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * One uplink as the monitor tracks it: its state machine, its probe targets, its round in flight,
 * and what the status page shows of it. Used on the monitor's event loop only.
 */
final class TrackedUplink {
  /** The uplink as configured now: a reload may change its weight, tier and targets. */
  Uplink uplink;

  final UplinkHealth health;
  List<ProbeTarget> targets;
  Optional<RoundResult> lastRound = Optional.empty();
  boolean inFlight;

  /** A tick came while a round was still running. */
  boolean overdue;

  /** A reload removed or replaced this uplink: a round still running is dropped when it ends. */
  boolean retired;

  private final Deque<StateChange> history = new ArrayDeque<>();
  private long changes;

  TrackedUplink(
      Uplink uplink, HealthPolicy policy, List<ProbeTarget> targets, HealthState initial) {
    this.uplink = uplink;
    this.targets = targets;
    this.health = new UplinkHealth(uplink.name(), policy, initial);
  }

  /**
   * Keeps a state change in the history (the latest {@link HealthMonitor#HISTORY}) and counts it.
   */
  void remember(StateChange change) {
    history.addLast(change);
    changes++;
    while (history.size() > HealthMonitor.HISTORY) {
      history.removeFirst();
    }
  }

  /** What the status page shows now. */
  UplinkState state() {
    return new UplinkState(
        uplink.name(), health.state(), health.stats(), lastRound, List.copyOf(history), changes);
  }

  /**
   * The probe timeout for the next round: {@code ceiling} ({@code health.timeout}), or less once
   * the uplink's RTT is known: eight times its median RTT, at least {@link
   * HealthMonitor#MIN_TIMEOUT}. A probe that takes eight times the usual round trip is as good as
   * lost, and a short timeout finds a dead uplink sooner.
   */
  Duration probeTimeout(Duration ceiling) {
    Optional<Duration> rtt = health.stats().rttMedian();
    if (rtt.isEmpty()) {
      return ceiling;
    }
    Duration adaptive = rtt.get().multipliedBy(8);
    if (adaptive.compareTo(HealthMonitor.MIN_TIMEOUT) < 0) {
      adaptive = HealthMonitor.MIN_TIMEOUT;
    }
    return adaptive.compareTo(ceiling) < 0 ? adaptive : ceiling;
  }
}
