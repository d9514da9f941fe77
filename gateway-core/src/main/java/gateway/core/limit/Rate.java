package gateway.core.limit;

import java.util.Locale;
import java.util.Map;

/**
 * A transfer rate as the config writes it, in bytes per second. Bits, as ISPs and MikroTik queues
 * count (SI prefixes, 1 kbit = 1000 bit): {@code 512kbit}, {@code 10Mbit}, {@code 1Gbit}, also with
 * {@code /s} or as {@code Mbps}. Bytes, as downloads are shown: {@code 2MiB/s}, {@code 500KiB/s}
 * (binary), {@code 2MB/s}, {@code 500kB/s} (SI). {@code 0} means no limit. A bare number other than
 * 0 is refused: bits or bytes would be a guess.
 */
public final class Rate {
  /** No limit. */
  public static final long UNLIMITED = 0;

  private static final Map<String, Double> BYTES_PER_UNIT =
      Map.ofEntries(
          Map.entry("bit", 1 / 8.0),
          Map.entry("kbit", 1e3 / 8),
          Map.entry("mbit", 1e6 / 8),
          Map.entry("gbit", 1e9 / 8),
          Map.entry("bps", 1 / 8.0),
          Map.entry("kbps", 1e3 / 8),
          Map.entry("mbps", 1e6 / 8),
          Map.entry("gbps", 1e9 / 8),
          Map.entry("b/s", 1.0),
          Map.entry("kib/s", 1024.0),
          Map.entry("mib/s", 1024.0 * 1024),
          Map.entry("gib/s", 1024.0 * 1024 * 1024),
          Map.entry("kb/s", 1e3),
          Map.entry("mb/s", 1e6),
          Map.entry("gb/s", 1e9));

  private Rate() {}

  /**
   * Bytes per second; throws IllegalArgumentException with a message fit for {@code file:line: }.
   */
  public static long parse(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    String number = t.substring(0, i);
    String unit = t.substring(i).trim();
    double n;
    try {
      n = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw bad(text, "");
    }
    if (unit.isEmpty()) {
      if (n == 0) {
        return UNLIMITED;
      }
      throw bad(text, ": a rate needs a unit");
    }
    String key = unit.toLowerCase(Locale.ROOT);
    if (key.endsWith("bit/s")) {
      key = key.substring(0, key.length() - 2);
    }
    // "Mb/s" is megabits to some and megabytes to others: only the byte forms with a capital B
    // count.
    boolean bytes = unit.endsWith("B/s");
    Double perUnit = BYTES_PER_UNIT.get(key);
    if (perUnit == null || (key.endsWith("b/s") && !bytes)) {
      String hint =
          BYTES_PER_UNIT.containsKey(key + "/s")
              ? ": a rate in bytes needs /s, e.g. " + number + unit + "/s"
              : "";
      throw bad(text, hint);
    }
    double perSecond = n * perUnit;
    if (perSecond > Long.MAX_VALUE / 2) {
      throw bad(text, ": too large");
    }
    return Math.round(perSecond);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "'" + text + "' is not a rate" + why + " (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)");
  }

  /** For messages and logs: {@code 2 MiB/s}, {@code 125 KiB/s}, {@code unlimited}. */
  public static String format(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      return "unlimited";
    }
    String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
    double v = bytesPerSecond;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v))
        + " "
        + units[u];
  }
}
