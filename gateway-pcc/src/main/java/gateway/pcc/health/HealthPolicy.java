package gateway.pcc.health;

import gateway.core.config.HealthConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The thresholds one {@link UplinkHealth} applies. See {@link UplinkHealth} for the rules.
 *
 * @param downAfter failed rounds in a row that take an uplink DOWN
 * @param upAfter good rounds in a row that bring it back (and good-statistics rounds that end
 *     DEGRADED)
 * @param windowRounds rounds kept for loss, RTT median and jitter
 * @param passiveFailures client connect failures in a row that count as one failed round
 * @param degradedLossPercent loss over the window, in percent, at or above which an uplink is
 *     DEGRADED
 * @param degradedRtt RTT median over the window at or above which an uplink is DEGRADED
 * @param degradedMinRounds rounds the window must hold before loss and RTT are judged at all
 */
public record HealthPolicy(
    int downAfter,
    int upAfter,
    int windowRounds,
    int passiveFailures,
    Optional<Double> degradedLossPercent,
    Optional<Duration> degradedRtt,
    int degradedMinRounds) {

  /** Rounds in the statistics window: one minute at the default one-second interval. */
  public static final int DEFAULT_WINDOW_ROUNDS = 60;

  /** Passive failures between two rounds that make one failed round. */
  public static final int DEFAULT_PASSIVE_FAILURES = 3;

  /** No loss or RTT verdict from fewer rounds than this (one lost probe is not 100% loss). */
  public static final int DEFAULT_DEGRADED_MIN_ROUNDS = 10;

  public HealthPolicy {
    Objects.requireNonNull(degradedLossPercent, "degradedLossPercent");
    Objects.requireNonNull(degradedRtt, "degradedRtt");
    if (downAfter < 1
        || upAfter < 1
        || windowRounds < 1
        || passiveFailures < 1
        || degradedMinRounds < 1) {
      throw new IllegalArgumentException("health thresholds must be at least 1: " + this);
    }
  }

  public static HealthPolicy of(HealthConfig config) {
    return new HealthPolicy(
        config.downAfter(),
        config.upAfter(),
        DEFAULT_WINDOW_ROUNDS,
        DEFAULT_PASSIVE_FAILURES,
        config.degradedLossPercent(),
        config.degradedRtt(),
        Math.min(DEFAULT_DEGRADED_MIN_ROUNDS, DEFAULT_WINDOW_ROUNDS));
  }

  /** Same thresholds, without the degraded state. */
  public static HealthPolicy of(int downAfter, int upAfter) {
    return new HealthPolicy(
        downAfter,
        upAfter,
        DEFAULT_WINDOW_ROUNDS,
        DEFAULT_PASSIVE_FAILURES,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_DEGRADED_MIN_ROUNDS);
  }

  public HealthPolicy withDegraded(Optional<Double> lossPercent, Optional<Duration> rtt) {
    return new HealthPolicy(
        downAfter, upAfter, windowRounds, passiveFailures, lossPercent, rtt, degradedMinRounds);
  }

  public HealthPolicy withWindow(int rounds, int minRounds) {
    return new HealthPolicy(
        downAfter, upAfter, rounds, passiveFailures, degradedLossPercent, degradedRtt, minRounds);
  }

  public HealthPolicy withPassiveFailures(int n) {
    return new HealthPolicy(
        downAfter, upAfter, windowRounds, n, degradedLossPercent, degradedRtt, degradedMinRounds);
  }

  boolean judgesDegraded() {
    return degradedLossPercent.isPresent() || degradedRtt.isPresent();
  }

  /** Loss or RTT at or beyond the thresholds: a round that counts towards DEGRADED. */
  boolean isDegraded(WindowStats s) {
    if (s.rounds() < degradedMinRounds) {
      return false;
    }
    boolean lossy = degradedLossPercent.map(max -> s.lossPercent() >= max).orElse(false);
    boolean slow =
        degradedRtt.flatMap(max -> s.rttMedian().map(rtt -> rtt.compareTo(max) >= 0)).orElse(false);
    return lossy || slow;
  }

  /**
   * Loss below half its threshold and RTT below 80% of its threshold: a round that ends DEGRADED.
   */
  boolean isClear(WindowStats s) {
    boolean lossOk = degradedLossPercent.map(max -> s.lossPercent() < max / 2).orElse(true);
    boolean rttOk =
        degradedRtt
            .map(max -> s.rttMedian().map(rtt -> rtt.toNanos() < max.toNanos() * 0.8).orElse(true))
            .orElse(true);
    return lossOk && rttOk;
  }
}
