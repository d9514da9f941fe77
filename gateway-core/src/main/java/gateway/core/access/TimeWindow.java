package gateway.core.access;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * When an access rule applies: {@code [DAYS] HH:MM-HH:MM} in the box's local time, e.g. {@code
 * mon-fri 08:00-16:00}, {@code sat,sun 10:00-14:00}, {@code 22:00-06:00} (every day).
 *
 * <p>DAYS is a day ({@code mon}), a range ({@code mon-fri}, and {@code fri-mon} wraps over the
 * weekend) or a comma list of either; without it, every day. The start is included and the end is
 * not; {@code 24:00} is the end of the day. A window whose end is before its start runs over
 * midnight and belongs to the day it starts on: {@code fri 22:00-02:00} covers Friday night into
 * Saturday 02:00, not Friday 00:00-02:00.
 *
 * <p>Matching takes local date-time, so a daylight-saving change is handled by the caller's zone: a
 * window means the wall-clock hours the office sees.
 */
public final class TimeWindow {
  private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  private final Set<DayOfWeek> days;
  private final LocalTime start;

  /** Null for 24:00. */
  private final LocalTime end;

  private final String text;

  private TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, String text) {
    this.days = days;
    this.start = start;
    this.end = end;
    this.text = text;
  }

  /** Parses a window; throws IllegalArgumentException with a reason an admin can act on. */
  public static TimeWindow parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int space = t.lastIndexOf(' ');
    String daysText = space < 0 ? "" : t.substring(0, space).trim();
    String hours = space < 0 ? t : t.substring(space + 1);
    Set<DayOfWeek> days =
        daysText.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : days(daysText, text);
    int dash = hours.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException(
          "'" + text + "': expected [days] HH:MM-HH:MM, e.g. mon-fri 08:00-16:00");
    }
    LocalTime start = time(hours.substring(0, dash), text, false);
    LocalTime end = time(hours.substring(dash + 1), text, true);
    if (start.equals(end)) {
      throw new IllegalArgumentException(
          "'" + text + "': the window starts and ends at the same time");
    }
    return new TimeWindow(days, start, end, text.trim());
  }

  /** Whether the window covers this local date-time. */
  public boolean contains(LocalDateTime at) {
    LocalTime time = at.toLocalTime();
    DayOfWeek day = at.getDayOfWeek();
    if (end == null || start.isBefore(end)) {
      return days.contains(day) && !time.isBefore(start) && (end == null || time.isBefore(end));
    }
    // Over midnight: the evening part on a listed day, the morning part on the day after one.
    return (days.contains(day) && !time.isBefore(start))
        || (days.contains(day.minus(1)) && time.isBefore(end));
  }

  /** Equal when they cover the same days and hours, however written. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TimeWindow w
        && w.days.equals(days)
        && w.start.equals(start)
        && Objects.equals(w.end, end);
  }

  @Override
  public int hashCode() {
    return Objects.hash(days, start, end);
  }

  @Override
  public String toString() {
    return text;
  }

  private static Set<DayOfWeek> days(String spec, String text) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String part : spec.split(",")) {
      String p = part.trim();
      int dash = p.indexOf('-');
      if (dash < 0) {
        out.add(day(p, text));
        continue;
      }
      DayOfWeek from = day(p.substring(0, dash).trim(), text);
      DayOfWeek to = day(p.substring(dash + 1).trim(), text);
      for (DayOfWeek d = from; ; d = d.plus(1)) {
        out.add(d);
        if (d == to) {
          break;
        }
      }
    }
    return out;
  }

  private static DayOfWeek day(String name, String text) {
    for (int i = 0; i < DAY_NAMES.length; i++) {
      if (DAY_NAMES[i].equals(name)) {
        return DayOfWeek.of(i + 1);
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "': '" + name + "' is not a day (write mon, tue, wed, thu, fri, sat, sun)");
  }

  /** HH:MM; {@code 24:00} (returned as null) only as an end. */
  private static LocalTime time(String s, String text, boolean isEnd) {
    String v = s.trim();
    if (v.length() != 5
        || v.charAt(2) != ':'
        || !digits(v.substring(0, 2))
        || !digits(v.substring(3))) {
      throw new IllegalArgumentException("'" + text + "': '" + v + "' is not a time HH:MM");
    }
    int h = Integer.parseInt(v.substring(0, 2));
    int m = Integer.parseInt(v.substring(3));
    if (isEnd && h == 24 && m == 0) {
      return null;
    }
    if (h > 23 || m > 59) {
      throw new IllegalArgumentException("'" + text + "': '" + v + "' is not a time of day");
    }
    return LocalTime.of(h, m);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
