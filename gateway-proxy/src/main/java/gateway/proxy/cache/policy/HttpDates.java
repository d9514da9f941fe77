package gateway.proxy.cache.policy;

import io.netty.handler.codec.DateFormatter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

/**
 * HTTP-date fields (RFC 9110 5.6.7) as epoch milliseconds, read strictly: exactly one of the three
 * formats, so that an invalid {@code Expires} is "already expired" (RFC 9111 5.3) rather than
 * guessed at.
 *
 * <pre>
 * IMF-fixdate   Sun, 06 Nov 1994 08:49:37 GMT
 * rfc850-date   Sunday, 06-Nov-94 08:49:37 GMT   (obsolete; read, as recipients must)
 * asctime-date  Sun Nov  6 08:49:37 1994         (obsolete; read likewise)
 * </pre>
 *
 * Single spaces, two-digit day, hour, minute and second, four-digit years but in rfc850-date, and
 * {@code GMT}: anything else (another zone, a missing comma, dashes in an IMF-fixdate, dots in the
 * time) is invalid. Letter case is not held against a date: the grammar's names are case-sensitive,
 * but no reading of {@code THU} or {@code gmt} other than the obvious one exists. The day name is
 * not checked against the date (RFC 9110 asks that of senders only).
 */
final class HttpDates {
  private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
  private static final List<String> LONG_DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
  private static final List<String> MONTHS =
      List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  private HttpDates() {}

  /**
   * The instant {@code text} names, or null when it is missing or not an HTTP-date. Leading and
   * trailing spaces and tabs are not part of a field value (RFC 9110 5.5).
   *
   * @param nowMillis the time a two-digit rfc850-date year is read against: a year more than 50
   *     years after it is the one a century earlier (RFC 9110 5.6.7)
   */
  static Long parse(String text, long nowMillis) {
    if (text == null) {
      return null;
    }
    Cursor in = new Cursor(strip(text));
    int comma = in.text.indexOf(',');
    LocalDateTime at;
    if (comma == 3) {
      at = imfFixdate(in);
    } else if (comma > 3) {
      at = rfc850Date(in, nowMillis);
    } else {
      at = asctimeDate(in);
    }
    return at == null ? null : at.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  static String format(long epochMillis) {
    return DateFormatter.format(new Date(epochMillis));
  }

  /** {@code day-name "," SP day SP month SP year SP time-of-day SP GMT}. */
  private static LocalDateTime imfFixdate(Cursor in) {
    if (!in.name(DAYS) || !in.is(',') || !in.is(' ')) {
      return null;
    }
    int day = in.digits(2);
    if (!in.is(' ')) {
      return null;
    }
    int month = in.month();
    if (!in.is(' ')) {
      return null;
    }
    int year = in.digits(4);
    return in.is(' ') ? timeAndGmt(in, year, month, day) : null;
  }

  /** {@code day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT}. */
  private static LocalDateTime rfc850Date(Cursor in, long nowMillis) {
    if (!in.name(LONG_DAYS) || !in.is(',') || !in.is(' ')) {
      return null;
    }
    int day = in.digits(2);
    if (!in.is('-')) {
      return null;
    }
    int month = in.month();
    if (!in.is('-')) {
      return null;
    }
    int twoDigits = in.digits(2);
    if (twoDigits < 0 || !in.is(' ')) {
      return null;
    }
    int thisYear = Instant.ofEpochMilli(nowMillis).atOffset(ZoneOffset.UTC).getYear();
    int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
    if (year > thisYear + 50) {
      year -= 100;
    }
    return timeAndGmt(in, year, month, day);
  }

  /** {@code day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year}. */
  private static LocalDateTime asctimeDate(Cursor in) {
    if (!in.name(DAYS) || !in.is(' ')) {
      return null;
    }
    int month = in.month();
    if (!in.is(' ')) {
      return null;
    }
    int day = in.is(' ') ? in.digits(1) : in.digits(2);
    if (!in.is(' ')) {
      return null;
    }
    int[] time = in.time();
    if (time == null || !in.is(' ')) {
      return null;
    }
    int year = in.digits(4);
    return in.atEnd() ? of(year, month, day, time) : null;
  }

  private static LocalDateTime timeAndGmt(Cursor in, int year, int month, int day) {
    int[] time = in.time();
    if (time == null || !in.is(' ') || !in.word("GMT") || !in.atEnd()) {
      return null;
    }
    return of(year, month, day, time);
  }

  /** The date, or null when a part is missing or out of range; second 60 is a leap second. */
  private static LocalDateTime of(int year, int month, int day, int[] time) {
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      int second = time[2];
      LocalDateTime at = LocalDateTime.of(year, month, day, time[0], time[1], Math.min(second, 59));
      return second == 60 ? at.plusSeconds(1) : at;
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static String strip(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
      to--;
    }
    return text.substring(from, to);
  }

  /** Reads a date from left to right; every read either matches and moves on, or fails. */
  private static final class Cursor {
    final String text;
    int at;

    Cursor(String text) {
      this.text = text;
    }

    boolean is(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    boolean atEnd() {
      return at == text.length();
    }

    /** Exactly {@code n} ASCII digits as a number, or -1. */
    int digits(int n) {
      if (at + n > text.length()) {
        return -1;
      }
      int value = 0;
      for (int i = 0; i < n; i++) {
        char c = text.charAt(at + i);
        if (c < '0' || c > '9') {
          return -1;
        }
        value = value * 10 + (c - '0');
      }
      at += n;
      return value;
    }

    /** {@code hour ":" minute ":" second}, each two digits: {hour, minute, second}, or null. */
    int[] time() {
      int hour = digits(2);
      if (hour < 0 || !is(':')) {
        return null;
      }
      int minute = digits(2);
      if (minute < 0 || !is(':')) {
        return null;
      }
      int second = digits(2);
      return second < 0 || second > 60 ? null : new int[] {hour, minute, second};
    }

    /** The month's number (1 to 12), or -1. */
    int month() {
      for (int i = 0; i < MONTHS.size(); i++) {
        if (word(MONTHS.get(i))) {
          return i + 1;
        }
      }
      return -1;
    }

    boolean name(List<String> names) {
      for (String name : names) {
        if (word(name)) {
          return true;
        }
      }
      return false;
    }

    /** Whether {@code word} comes next, in any letter case, not followed by another letter. */
    boolean word(String word) {
      int end = at + word.length();
      if (end > text.length() || (end < text.length() && isLetter(text.charAt(end)))) {
        return false;
      }
      for (int i = 0; i < word.length(); i++) {
        char c = text.charAt(at + i);
        if (c != word.charAt(i) && !(isLetter(c) && (c ^ 0x20) == word.charAt(i))) {
          return false;
        }
      }
      at = end;
      return true;
    }

    /** ASCII letters only: no other script's case folding makes a name match. */
    private static boolean isLetter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }
}
