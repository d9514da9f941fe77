package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The uplink state machine, driven by scripts. One character per input:
 *
 * <ul>
 *   <li>{@code p} a passed probe round, {@code f} a failed probe round (every target timed out);
 *   <li>{@code x} a failed client connect, {@code r} a lost connect race, {@code c} a client
 *       connect that succeeded (passive evidence).
 * </ul>
 *
 * The expected column has the state after each input: {@code U} UP, {@code D} DOWN, {@code G}
 * DEGRADED.
 */
class UplinkHealthTest {
  private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");

  @ParameterizedTest(name = "down-after {0}, up-after {1}: {2} -> {3}")
  @CsvSource({
    // starts UP; down-after failed rounds in a row take it DOWN
    "3, 2, p,          U",
    "3, 2, ff,         UU",
    "3, 2, fff,        UUD",
    "1, 1, f,          D",
    // a passed round resets the count
    "3, 2, ffpff,      UUUUU",
    "3, 2, ffpfff,     UUUUUD",
    // up-after good rounds in a row bring it back; a failed one resets the count
    "3, 2, fffpp,      UUDDU",
    "3, 2, fffpfpp,    UUDDDDU",
    "1, 1, fpfp,       DUDU",
    // flapping: alternating never reaches DOWN with down-after 3 ...
    "3, 2, fpfpfpfpfp, UUUUUUUUUU",
    // ... and a DOWN uplink that alternates never comes back
    "3, 2, fffpfpfpfp, UUDDDDDDDD",
  })
  void downAfterAndUpAfter(int downAfter, int upAfter, String script, String expected) {
    assertThat(run(HealthPolicy.of(downAfter, upAfter), script)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "down-after {0}, passive-failures {1}: {2} -> {3}")
  @CsvSource({
    // one client's refused connect changes nothing
    "3, 5, x,                U",
    "1, 5, xxxx,             UUUU",
    // five failures in a row count as one failed round: with down-after 1, DOWN at once
    "1, 5, xxxxx,            UUUUD",
    // ... with down-after 3, two probe failures after them suffice (instead of three)
    "3, 5, xxxxxff,          UUUUUUD",
    "3, 5, fxxxxxf,          UUUUUUD",
    // lost races count like failures
    "3, 5, fxxrrrf,          UUUUUUD",
    // at most one passive round per interval
    "2, 5, xxxxxxxxxxxxxxx,  UUUUUUUUUUUUUUU",
    // a successful connect breaks the streak; earlier successes do not dilute a later one
    "1, 5, xxxxcxxxx,        UUUUUUUUU",
    "1, 5, ccccccxxxxx,      UUUUUUUUUUD",
    // a passed probe round resets the count: passive evidence alone never takes an uplink out
    "2, 5, xxxxxpxxxxxp,     UUUUUUUUUUUU",
    // the streak runs across probe rounds (a failed round does not break it) ...
    "2, 5, xxxfxx,           UUUUUD",
    // ... nor does a passed one, though it resets the failed rounds
    "2, 5, xxxpxxf,          UUUUUUD",
    // ignored while DOWN: only probes bring an uplink back
    "1, 5, fxxxxxp,          DDDDDDU",
  })
  void passiveEvidence(int downAfter, int passiveFailures, String script, String expected) {
    HealthPolicy policy = HealthPolicy.of(downAfter, 1).withPassiveFailures(passiveFailures);
    assertThat(run(policy, script)).isEqualTo(expected);
  }

  @Test
  void downCarriesTheFailedTargetsAndThePassiveRounds() {
    UplinkHealth h = new UplinkHealth("isp1", HealthPolicy.of(2, 1));
    h.round(failedRound(), T0);
    List<StateChange> changes = new ArrayList<>();
    for (int i = 0; i < HealthPolicy.DEFAULT_PASSIVE_FAILURES; i++) {
      h.passive(Passive.CONNECT_FAILED, T0.plusMillis(100 + i)).ifPresent(changes::add);
    }
    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.from()).isEqualTo(HealthState.UP);
              assertThat(c.to()).isEqualTo(HealthState.DOWN);
              assertThat(c.at()).isEqualTo(T0.plusMillis(102));
              assertThat(c.cause())
                  .isEqualTo("2 failed rounds in a row (1 of them 3+ client connect failures)");
              assertThat(c.failedTargets())
                  .extracting(TargetResult::reason)
                  .containsExactly("timeout", "refused");
            });
  }

  // Degraded: two targets per round, reliability 1, so a round with one lost probe still passes.
  private static final HealthPolicy LOSSY =
      HealthPolicy.of(2, 2).withWindow(10, 4).withDegraded(Optional.of(20.0), Optional.empty());
  private static final HealthPolicy SLOW =
      HealthPolicy.of(2, 2)
          .withWindow(10, 4)
          .withDegraded(Optional.empty(), Optional.of(Duration.ofMillis(100)));

  @Test
  void lossAtTheThresholdForDownAfterRoundsDegrades() {
    UplinkHealth h = new UplinkHealth("isp1", LOSSY);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 4, 20, 20); // loss 0%
    feed(h, changes, 2, 20, -1); // 2/10, 2/12 lost: 10%, 16.7%
    assertThat(h.state()).isEqualTo(HealthState.UP);
    feed(h, changes, 1, 20, -1); // 3/14 = 21.4%: one round at the threshold
    assertThat(h.state()).isEqualTo(HealthState.UP);
    feed(h, changes, 1, 20, -1); // 4/16 = 25%: two rounds in a row
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.cause()).isEqualTo("loss 25.0% >= 20.0% for 2 rounds in a row");
              assertThat(c.warning()).isTrue();
            });
  }

  @Test
  void degradedEndsOnlyBelowHalfTheLossThreshold() {
    UplinkHealth h = new UplinkHealth("isp1", LOSSY);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 4, 20, 20);
    feed(h, changes, 4, 20, -1);
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    // Clean rounds push the lossy ones out of the 10-round window: after 7, 3 lossy remain (15%),
    // after 8, 2 (10%): below the 20% that degrades, not below the 10% that ends it.
    feed(h, changes, 8, 20, 20);
    assertThat(h.stats().lossPercent()).isEqualTo(10.0);
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    feed(h, changes, 1, 20, 20); // 5%: one clear round
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    feed(h, changes, 1, 20, 20); // 0%: up-after (2) clear rounds
    assertThat(h.state()).isEqualTo(HealthState.UP);
    assertThat(changes.get(1).cause()).isEqualTo("loss < 10.0% for 2 rounds in a row");
    assertThat(changes.get(1).warning()).isFalse();
  }

  @Test
  void rttHysteresis() {
    UplinkHealth h = new UplinkHealth("isp1", SLOW);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 10, 90, 90); // 90 ms < 100 ms: an UP uplink stays UP
    assertThat(h.state()).isEqualTo(HealthState.UP);
    feed(h, changes, 5, 200, 200); // medians 90, 90, 90, 90, 145: one round at >= 100
    assertThat(h.state()).isEqualTo(HealthState.UP);
    feed(h, changes, 1, 200, 200); // median 200: two rounds in a row
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    assertThat(changes.get(0).cause()).isEqualTo("rtt 200.0ms >= 100.0ms for 2 rounds in a row");
    feed(h, changes, 10, 90, 90); // 90 ms >= 80 ms: a DEGRADED uplink stays DEGRADED
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    feed(h, changes, 6, 70, 70); // median 70 after 6 of 10: first clear round
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    feed(h, changes, 1, 70, 70);
    assertThat(h.state()).isEqualTo(HealthState.UP);
    assertThat(changes.get(1).cause()).isEqualTo("rtt < 80.0ms for 2 rounds in a row");
  }

  @Test
  void noVerdictOnLossFromTooFewRounds() {
    UplinkHealth h = new UplinkHealth("isp1", LOSSY);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 3, 20, -1); // 50% loss, but only 3 rounds of the 4 needed
    assertThat(h.state()).isEqualTo(HealthState.UP);
  }

  @Test
  void failedRoundsTakeADegradedUplinkDown() {
    UplinkHealth h = new UplinkHealth("isp1", LOSSY);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 4, 20, 20);
    feed(h, changes, 4, 20, -1);
    assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
    feed(h, changes, 2, -1, -1);
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(HealthState.DEGRADED, HealthState.DOWN);
  }

  @Test
  void anOutageIsNotCountedAsLossOnceBack() {
    UplinkHealth h = new UplinkHealth("isp1", LOSSY);
    List<StateChange> changes = new ArrayList<>();
    feed(h, changes, 8, -1, -1);
    assertThat(h.state()).isEqualTo(HealthState.DOWN);
    feed(h, changes, 2, 20, 20);
    assertThat(h.state()).isEqualTo(HealthState.UP);
    assertThat(h.stats().lossPercent()).isZero();
    feed(h, changes, 5, 20, 20);
    assertThat(h.state()).isEqualTo(HealthState.UP);
  }

  private static String run(HealthPolicy policy, String script) {
    UplinkHealth h = new UplinkHealth("isp1", policy);
    StringBuilder states = new StringBuilder();
    Instant now = T0;
    for (char c : script.toCharArray()) {
      now = now.plusMillis(100);
      switch (c) {
        case 'p' -> h.round(passedRound(), now);
        case 'f' -> h.round(failedRound(), now);
        case 'x' -> h.passive(Passive.CONNECT_FAILED, now);
        case 'r' -> h.passive(Passive.LOST_RACE, now);
        case 'c' -> h.passive(Passive.CONNECTED, now);
        default -> throw new IllegalArgumentException("script character " + c);
      }
      states.append(
          switch (h.state()) {
            case UP -> 'U';
            case DOWN -> 'D';
            case DEGRADED -> 'G';
          });
    }
    return states.toString();
  }

  /** {@code n} rounds of two targets, each answering in that many ms, or failing with -1. */
  private static void feed(UplinkHealth h, List<StateChange> changes, int n, int aMs, int bMs) {
    for (int i = 0; i < n; i++) {
      RoundResult r =
          RoundResult.of(List.of(result("tcp://a:1", aMs), result("tcp://b:1", bMs)), 1);
      h.round(r, T0).ifPresent(changes::add);
    }
  }

  private static TargetResult result(String target, int ms) {
    return ms < 0
        ? TargetResult.failed(target, "timeout")
        : TargetResult.ok(target, Duration.ofMillis(ms));
  }

  static RoundResult passedRound() {
    return RoundResult.of(
        List.of(
            TargetResult.ok("tcp://198.18.100.53:80", Duration.ofMillis(20)),
            TargetResult.ok("http://198.18.100.1/generate_204", Duration.ofMillis(30))),
        1);
  }

  static RoundResult failedRound() {
    return RoundResult.of(
        List.of(
            TargetResult.failed("tcp://198.18.100.53:80", "timeout"),
            TargetResult.failed("http://198.18.100.1/generate_204", "refused")),
        1);
  }
}
