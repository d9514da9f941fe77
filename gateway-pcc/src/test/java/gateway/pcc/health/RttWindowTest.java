package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Window statistics against hand-computed values. */
class RttWindowTest {

  @Test
  void medianJitterAndLossOfSingleTargetRounds() {
    RttWindow w = new RttWindow(60);
    for (int ms : new int[] {10, 30, -1, 20, 50}) {
      w.add(round(ms));
    }
    WindowStats s = w.stats();
    assertThat(s.rounds()).isEqualTo(5);
    // 1 of 5 probes lost
    assertThat(s.lossPercent()).isEqualTo(20.0);
    // sorted 10 20 30 50: the mean of the two middle values
    assertThat(s.rttMedian()).contains(Duration.ofMillis(25));
    // RFC 3550 6.4.1 increments |D(i-1,i)|, lost round skipped: (|30-10| + |20-30| + |50-20|) / 3
    assertThat(s.jitter()).contains(Duration.ofMillis(20));
  }

  @Test
  void aRoundsRttIsTheMedianOfItsTargets() {
    RttWindow w = new RttWindow(60);
    w.add(RoundResult.of(List.of(ok(10), ok(100), ok(40), TargetResult.failed("t", "timeout")), 1));
    WindowStats s = w.stats();
    assertThat(s.rttMedian()).contains(Duration.ofMillis(40));
    assertThat(s.lossPercent()).isEqualTo(25.0);
    assertThat(s.jitter()).isEmpty();
  }

  @Test
  void keepsOnlyTheNewestRounds() {
    RttWindow w = new RttWindow(3);
    for (int ms : new int[] {-1, -1, 10, 12, 17}) {
      w.add(round(ms));
    }
    WindowStats s = w.stats();
    assertThat(s.rounds()).isEqualTo(3);
    assertThat(s.lossPercent()).isZero();
    assertThat(s.rttMedian()).contains(Duration.ofMillis(12));
    assertThat(s.jitter()).contains(Duration.ofMillis(7).dividedBy(2)); // (2 + 5) / 2
  }

  @Test
  void emptyAndAllLost() {
    RttWindow w = new RttWindow(10);
    assertThat(w.stats()).isEqualTo(WindowStats.EMPTY);
    w.add(round(-1));
    w.add(round(-1));
    assertThat(w.stats()).isEqualTo(new WindowStats(2, 100.0, Optional.empty(), Optional.empty()));
  }

  @ParameterizedTest
  @CsvSource({"5, 5", "'3,1,2', 2", "'4,1,3,2', 2", "'1,2', 1", "'7,7,7,8', 7"})
  void median(String values, long expected) {
    long[] v = Arrays.stream(values.split(",")).mapToLong(Long::parseLong).toArray();
    assertThat(RttWindow.median(v)).isEqualTo(expected);
  }

  private static RoundResult round(int ms) {
    return RoundResult.of(List.of(ms < 0 ? TargetResult.failed("t", "timeout") : ok(ms)), 1);
  }

  private static TargetResult ok(int ms) {
    return TargetResult.ok("t", Duration.ofMillis(ms));
  }
}
