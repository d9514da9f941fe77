package gateway.pcc.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health state machine of one uplink: a pure function of the evidence fed to it (no clock
 * reads, no I/O), confined to one thread (the health monitor's event loop).
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Start UP.</b> A new uplink is available until probes prove otherwise: at start-up (and
 *       after a reload) new connections keep flowing while the first rounds run, and the proxy's
 *       connect race covers an uplink that is in fact dead for those few seconds. A gateway that
 *       started with every uplink DOWN would refuse all traffic for {@code up-after} intervals. An
 *       uplink a reload adds to a running gateway starts DOWN instead ({@link #UplinkHealth(String,
 *       HealthPolicy, HealthState)}): the others carry the traffic while it proves itself.
 *   <li><b>DOWN after {@code down-after} failed rounds in a row</b> (from UP or DEGRADED); <b>UP
 *       after {@code up-after} passed rounds in a row</b> (from DOWN). One result the other way
 *       resets the count, so an uplink that alternates good and bad rounds with {@code down-after}
 *       2 or more never goes DOWN, and a DOWN uplink that alternates never comes back.
 *   <li><b>Passive evidence accelerates, never decides alone.</b> {@code passive-failures} (default
 *       3) client connects in a row through the uplink that failed or lost the race to another
 *       uplink (a successful connect breaks the streak) count as one extra failed round, at most
 *       one per interval. A refused connect is the origin's answer and is not reported at all; a
 *       burst of stalled connects while probes also fail takes the uplink DOWN about one interval
 *       sooner. A passed probe round still resets the failed rounds, so clients failing to reach
 *       one dead origin never take a working uplink out. Passive evidence is ignored while DOWN:
 *       only probes bring an uplink back.
 *   <li><b>DEGRADED with hysteresis</b> (only when {@code degraded.loss} or {@code degraded.rtt} is
 *       set, and only once the window holds {@code degradedMinRounds} rounds): an UP uplink whose
 *       window loss is at or above {@code degraded.loss}, or whose RTT median is at or above {@code
 *       degraded.rtt}, after a passed round, for {@code down-after} rounds in a row, becomes
 *       DEGRADED. It returns to UP only after {@code up-after} passed rounds in a row with loss
 *       below half of {@code degraded.loss} and RTT median below 80% of {@code degraded.rtt}.
 *       Failed rounds still take a DEGRADED uplink DOWN.
 *   <li><b>An outage is not loss.</b> When an uplink comes back from DOWN, the window keeps only
 *       the {@code up-after} good rounds that brought it back, so the dead minutes do not hold it
 *       DEGRADED.
 * </ul>
 */
public final class UplinkHealth {
  private final String uplink;
  private HealthPolicy policy;
  private final RttWindow window;

  private HealthState state = HealthState.UP;
  private int failedInRow;
  private int passiveRoundsInRow;
  private int goodInRow;
  private int degradedInRow;
  private int clearInRow;
  private List<TargetResult> lastFailures = List.of();

  private int passiveFailures;
  private boolean passiveCounted;

  public UplinkHealth(String uplink, HealthPolicy policy) {
    this(uplink, policy, HealthState.UP);
  }

  /**
   * An uplink that starts in {@code initial}: DOWN for one a reload adds to a running gateway,
   * which then needs {@code up-after} good rounds before it carries traffic.
   */
  public UplinkHealth(String uplink, HealthPolicy policy, HealthState initial) {
    this.uplink = Objects.requireNonNull(uplink, "uplink");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.window = new RttWindow(policy.windowRounds());
    this.state = Objects.requireNonNull(initial, "initial");
  }

  /**
   * Applies reloaded thresholds ({@code down-after}, {@code up-after}, {@code degraded.*}) from the
   * next result on; the counts so far and the statistics window stay. A DEGRADED uplink whose
   * thresholds are gone returns to UP: nothing could end its DEGRADED state any more.
   */
  public Optional<StateChange> policy(HealthPolicy next, Instant now) {
    policy = Objects.requireNonNull(next, "next");
    if (state == HealthState.DEGRADED && !next.judgesDegraded()) {
      return Optional.of(change(HealthState.UP, "health.degraded no longer set", now));
    }
    return Optional.empty();
  }

  public String uplink() {
    return uplink;
  }

  public HealthState state() {
    return state;
  }

  public WindowStats stats() {
    return window.stats();
  }

  /** Takes one probe round; returns the state change it caused, if any. */
  public Optional<StateChange> round(RoundResult round, Instant now) {
    window.add(round);
    lastFailures = round.failures();
    passiveCounted = false;
    if (round.passed()) {
      goodInRow++;
      failedInRow = 0;
      passiveRoundsInRow = 0;
    } else {
      failedInRow++;
      goodInRow = 0;
    }
    WindowStats stats = window.stats();
    boolean judge = policy.judgesDegraded() && round.passed();
    degradedInRow = judge && policy.isDegraded(stats) ? degradedInRow + 1 : 0;
    clearInRow = judge && policy.isClear(stats) ? clearInRow + 1 : 0;

    switch (state) {
      case UP, DEGRADED -> {
        if (failedInRow >= policy.downAfter()) {
          return Optional.of(change(HealthState.DOWN, failedRoundsCause(), now));
        }
        if (state == HealthState.UP && degradedInRow >= policy.downAfter()) {
          return Optional.of(change(HealthState.DEGRADED, degradedCause(stats), now));
        }
        if (state == HealthState.DEGRADED && clearInRow >= policy.upAfter()) {
          return Optional.of(change(HealthState.UP, clearCause(), now));
        }
      }
      case DOWN -> {
        if (goodInRow >= policy.upAfter()) {
          window.keepNewest(policy.upAfter());
          return Optional.of(change(HealthState.UP, goodInRow + " good rounds in a row", now));
        }
      }
    }
    return Optional.empty();
  }

  /** Takes one piece of passive evidence; returns the state change it caused, if any. */
  public Optional<StateChange> passive(Passive evidence, Instant now) {
    if (state == HealthState.DOWN) {
      return Optional.empty();
    }
    if (evidence == Passive.CONNECTED) {
      passiveFailures = 0;
      return Optional.empty();
    }
    passiveFailures++;
    if (passiveCounted || passiveFailures < policy.passiveFailures()) {
      return Optional.empty();
    }
    passiveCounted = true;
    passiveFailures = 0;
    failedInRow++;
    passiveRoundsInRow++;
    goodInRow = 0;
    clearInRow = 0;
    if (failedInRow >= policy.downAfter()) {
      return Optional.of(change(HealthState.DOWN, failedRoundsCause(), now));
    }
    return Optional.empty();
  }

  private String failedRoundsCause() {
    String cause = failedInRow + " failed rounds in a row";
    if (passiveRoundsInRow > 0) {
      cause +=
          " ("
              + passiveRoundsInRow
              + " of them "
              + policy.passiveFailures()
              + "+ client connect failures)";
    }
    return cause;
  }

  private String degradedCause(WindowStats s) {
    List<String> why = new ArrayList<>();
    policy
        .degradedLossPercent()
        .filter(max -> s.lossPercent() >= max)
        .ifPresent(
            max ->
                why.add(
                    "loss "
                        + StateChange.percent(s.lossPercent())
                        + " >= "
                        + StateChange.percent(max)));
    policy
        .degradedRtt()
        .filter(max -> s.rttMedian().map(r -> r.compareTo(max) >= 0).orElse(false))
        .ifPresent(
            max ->
                why.add(
                    "rtt " + StateChange.millis(s.rttMedian()) + " >= " + StateChange.millis(max)));
    return String.join(" and ", why) + " for " + degradedInRow + " rounds in a row";
  }

  private String clearCause() {
    List<String> why = new ArrayList<>();
    policy
        .degradedLossPercent()
        .ifPresent(max -> why.add("loss < " + StateChange.percent(max / 2)));
    policy
        .degradedRtt()
        .ifPresent(max -> why.add("rtt < " + StateChange.millis(max.multipliedBy(4).dividedBy(5))));
    return String.join(" and ", why) + " for " + clearInRow + " rounds in a row";
  }

  private StateChange change(HealthState to, String cause, Instant now) {
    StateChange c =
        new StateChange(
            uplink,
            state,
            to,
            now,
            cause,
            to.available() ? List.of() : lastFailures,
            window.stats());
    state = to;
    failedInRow = 0;
    passiveRoundsInRow = 0;
    goodInRow = 0;
    degradedInRow = 0;
    clearInRow = 0;
    return c;
  }
}
