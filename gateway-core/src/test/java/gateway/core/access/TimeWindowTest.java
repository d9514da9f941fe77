package gateway.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When an access rule bites. 2026-11-23 is a Monday, 2026-11-27 a Friday, 2026-11-29 a Sunday. */
class TimeWindowTest {

  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource({
    // office hours: start included, end not
    "mon-fri 08:00-16:00, 2026-11-23T08:00, true",
    "mon-fri 08:00-16:00, 2026-11-23T15:59, true",
    "mon-fri 08:00-16:00, 2026-11-23T16:00, false",
    "mon-fri 08:00-16:00, 2026-11-23T07:59, false",
    "mon-fri 08:00-16:00, 2026-11-28T10:00, false",
    // no days: every day
    "12:00-13:00, 2026-11-29T12:30, true",
    // lists and a range over the weekend
    "'sat,sun 10:00-14:00', 2026-11-29T11:00, true",
    "'sat,sun 10:00-14:00', 2026-11-27T11:00, false",
    "fri-mon 09:00-10:00, 2026-11-29T09:30, true",
    "fri-mon 09:00-10:00, 2026-11-24T09:30, false",
    // over midnight: belongs to the day it starts on
    "fri 22:00-02:00, 2026-11-27T23:00, true",
    "fri 22:00-02:00, 2026-11-28T01:59, true",
    "fri 22:00-02:00, 2026-11-28T02:00, false",
    "fri 22:00-02:00, 2026-11-27T01:00, false",
    "sun 22:00-06:00, 2026-11-30T05:00, true",
    // to the end of the day
    "mon 18:00-24:00, 2026-11-23T23:59, true",
    "mon 18:00-24:00, 2026-11-24T00:00, false",
  })
  void containsTheLocalTimesItSays(String window, String at, boolean expected) {
    assertThat(TimeWindow.parse(window).contains(LocalDateTime.parse(at))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "08:00, expected [days] HH:MM-HH:MM",
    "mon-fri 8:00-16:00, '8:00' is not a time HH:MM",
    "mon-fri 08:00-25:00, '25:00' is not a time of day",
    "monday 08:00-16:00, 'monday' is not a day",
    "mon 10:00-10:00, starts and ends at the same time",
  })
  void aBadWindowSaysWhatIsWrong(String window, String reason) {
    assertThatThrownBy(() -> TimeWindow.parse(window))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0} = {1}: {2}")
  @CsvSource({
    "mon-fri 08:00-16:00, MON-FRI 08:00-16:00, true",
    "'mon,tue,wed,thu,fri 08:00-16:00', mon-fri 08:00-16:00, true",
    "mon-fri 08:00-16:00, mon-fri 08:00-16:01, false",
    "12:00-13:00, mon-sun 12:00-13:00, true",
  })
  void windowsCoveringTheSameHoursAreEqual(String a, String b, boolean equal) {
    assertThat(TimeWindow.parse(a).equals(TimeWindow.parse(b))).isEqualTo(equal);
    if (equal) {
      assertThat(TimeWindow.parse(a).hashCode()).isEqualTo(TimeWindow.parse(b).hashCode());
    }
  }

  @org.junit.jupiter.api.Test
  void wallClockHoursHoldAcrossTheDaylightSavingChange() {
    // Europe/Berlin springs forward on 2026-03-29 (a Sunday) at 02:00 to 03:00.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    TimeWindow night = TimeWindow.parse("sat 23:00-04:00");
    ZonedDateTime beforeChange = ZonedDateTime.of(2026, 3, 29, 1, 30, 0, 0, berlin);
    ZonedDateTime afterChange =
        beforeChange.plusHours(1); // 03:30 local, an hour of wall clock skipped
    ZonedDateTime afterWindow = beforeChange.plusHours(2); // 04:30 local

    assertThat(night.contains(beforeChange.toLocalDateTime())).isTrue();
    assertThat(night.contains(afterChange.toLocalDateTime())).isTrue();
    assertThat(afterChange.toLocalTime().toString()).isEqualTo("03:30");
    assertThat(night.contains(afterWindow.toLocalDateTime())).isFalse();
  }
}
