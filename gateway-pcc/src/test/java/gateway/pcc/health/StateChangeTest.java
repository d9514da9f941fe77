package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state-change log line, format v1 (see {@link StateChange}): golden text. */
class StateChangeTest {
  private static final Instant AT = Instant.parse("2025-03-01T08:00:00Z");

  @Test
  void downLine() {
    StateChange c =
        new StateChange(
            "isp1",
            HealthState.UP,
            HealthState.DOWN,
            AT,
            "3 failed rounds in a row",
            List.of(
                TargetResult.failed("tcp://198.18.100.53:80", "timeout"),
                TargetResult.failed("http://198.18.100.1/generate_204", "refused")),
            new WindowStats(
                40,
                12.5,
                Optional.of(Duration.ofNanos(23_000_000L)),
                Optional.of(Duration.ofNanos(4_120_000L))));
    assertThat(c.warning()).isTrue();
    assertThat(c.logLine())
        .isEqualTo(
            "uplink isp1 UP -> DOWN: 3 failed rounds in a row;"
                + " failed: tcp://198.18.100.53:80 timeout, http://198.18.100.1/generate_204 refused;"
                + " loss 12.5%, rtt 23.0ms, jitter 4.1ms");
  }

  @Test
  void upLineHasNoFailedPart() {
    StateChange c =
        new StateChange(
            "isp2",
            HealthState.DOWN,
            HealthState.UP,
            AT,
            "5 good rounds in a row",
            List.of(),
            new WindowStats(5, 0, Optional.of(Duration.ofNanos(21_349_000L)), Optional.empty()));
    assertThat(c.warning()).isFalse();
    assertThat(c.logLine())
        .isEqualTo(
            "uplink isp2 DOWN -> UP: 5 good rounds in a row; loss 0.0%, rtt 21.3ms, jitter n/a");
  }

  @Test
  void degradedLineFromTheStateMachine() {
    UplinkHealth h =
        new UplinkHealth(
            "lte",
            HealthPolicy.of(1, 1)
                .withWindow(10, 1)
                .withDegraded(Optional.of(10.0), Optional.of(Duration.ofMillis(300))));
    TargetResult slow = TargetResult.ok("tcp://198.18.100.53:80", Duration.ofMillis(450));
    TargetResult lost = TargetResult.failed("dns://198.18.100.53:53/example.org", "timeout");
    StateChange c = h.round(RoundResult.of(List.of(slow, lost), 1), AT).orElseThrow();
    assertThat(c.warning()).isTrue();
    assertThat(c.logLine())
        .isEqualTo(
            "uplink lte UP -> DEGRADED: loss 50.0% >= 10.0% and"
                + " rtt 450.0ms >= 300.0ms for 1 rounds in a row;"
                + " failed: dns://198.18.100.53:53/example.org timeout; loss 50.0%, rtt 450.0ms, jitter n/a");
  }
}
