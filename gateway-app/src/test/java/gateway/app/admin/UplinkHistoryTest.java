package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.metrics.UplinkCounters;
import gateway.pcc.health.HealthState;
import gateway.pcc.health.RoundResult;
import gateway.pcc.health.TargetResult;
import gateway.pcc.health.UplinkState;
import gateway.pcc.health.WindowStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status page's charts: a ring of one sample a second per uplink, fed with made-up moments. */
class UplinkHistoryTest {

  static UplinkState state(String name, double loss, Optional<RoundResult> round) {
    return new UplinkState(
        name,
        HealthState.UP,
        new WindowStats(5, loss, Optional.empty(), Optional.empty()),
        round,
        List.of(),
        0);
  }

  static RoundResult passed(long... rttMillis) {
    return new RoundResult(
        true,
        java.util.Arrays.stream(rttMillis)
            .mapToObj(ms -> TargetResult.ok("tcp://t" + ms, Duration.ofMillis(ms)))
            .toList());
  }

  @Test
  void throughputIsTheCountersGrowthPerSecondBetweenSamples() {
    UplinkHistory h = new UplinkHistory(10);
    Map<String, UplinkState> states = Map.of("isp1", state("isp1", 0, Optional.empty()));

    h.sample(1_000, states, Map.of("isp1", new UplinkCounters.Snapshot(1, 0, 5_000, 100)));
    h.sample(3_000, states, Map.of("isp1", new UplinkCounters.Snapshot(2, 0, 25_000, 700)));

    List<UplinkHistory.Sample> s = h.samples().get("isp1");
    assertThat(s).extracting(UplinkHistory.Sample::inBytesPerSecond).containsExactly(0.0, 10_000.0);
    assertThat(s).extracting(UplinkHistory.Sample::outBytesPerSecond).containsExactly(0.0, 300.0);
  }

  @Test
  void theRingKeepsTheNewestSamplesOldestFirst() {
    UplinkHistory h = new UplinkHistory(3);
    for (int i = 1; i <= 5; i++) {
      h.sample(i * 1000L, Map.of("isp1", state("isp1", i, Optional.empty())), Map.of());
    }
    assertThat(h.samples().get("isp1"))
        .extracting(UplinkHistory.Sample::atMillis)
        .containsExactly(3000L, 4000L, 5000L);
    assertThat(h.latest("isp1")).map(UplinkHistory.Sample::lossPercent).hasValue(5.0);
  }

  @Test
  void rttIsTheMedianOfTheLatestPassedRoundAndUnknownOtherwise() {
    assertThat(UplinkHistory.roundRtt(Optional.of(passed(10, 30, 20)))).isEqualTo(20.0);
    assertThat(UplinkHistory.roundRtt(Optional.of(passed(10, 20)))).isEqualTo(15.0);
    assertThat(UplinkHistory.roundRtt(Optional.empty())).isNaN();
    assertThat(
            UplinkHistory.roundRtt(
                Optional.of(
                    new RoundResult(false, List.of(TargetResult.failed("tcp://t", "timeout"))))))
        .isNaN();
  }
}
