package gateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {

  @ParameterizedTest(name = "{0} = {1} B/s")
  @CsvSource({
    "10Mbit, 1250000",
    "10 Mbit, 1250000",
    "10mbit, 1250000",
    "10Mbit/s, 1250000",
    "10Mbps, 1250000",
    "512kbit, 64000",
    "1Gbit, 125000000",
    "1.5Mbit, 187500",
    "2MiB/s, 2097152",
    "500KiB/s, 512000",
    "2MB/s, 2000000",
    "500kB/s, 500000",
    "100B/s, 100",
    "0, 0",
    "0Mbit, 0"
  })
  void readsBitsAndBytesPerSecond(String text, long bytesPerSecond) {
    assertThat(Rate.parse(text)).isEqualTo(bytesPerSecond);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "2MiB", "10Mb/s", "fast", "", "-1Mbit", "10 Mbyte", "Mbit"})
  void refusesWhatIsNotClearlyARate(String text) {
    assertThatThrownBy(() -> Rate.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a rate")
        .hasMessageContaining("e.g. 10Mbit, 512kbit, 2MiB/s");
  }

  @org.junit.jupiter.api.Test
  void aByteSizeWithoutPerSecondGetsAHint() {
    assertThatThrownBy(() -> Rate.parse("2MiB")).hasMessageContaining("needs /s, e.g. 2MiB/s");
  }

  @org.junit.jupiter.api.Test
  void formatsForPeople() {
    assertThat(Rate.format(2 * 1024 * 1024)).isEqualTo("2 MiB/s");
    assertThat(Rate.format(1_250_000)).isEqualTo("1.2 MiB/s");
    assertThat(Rate.format(0)).isEqualTo("unlimited");
  }
}
