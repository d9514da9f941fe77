package gateway.app.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal view of {@code /api/status}: a summary line, then one row per uplink. */
final class StatusTable {
  private static final String[] HEAD = {
    "UPLINK",
    "STATE",
    "ADDRESS",
    "RTT",
    "JITTER",
    "LOSS",
    "IN",
    "OUT",
    "OPEN",
    "SHARE",
    "LAST CHANGE"
  };

  private StatusTable() {}

  static String format(Map<String, Object> s) {
    return format(s, ZoneId.systemDefault());
  }

  @SuppressWarnings("unchecked")
  static String format(Map<String, Object> s, ZoneId zone) {
    List<Map<String, Object>> uplinks = (List<Map<String, Object>>) s.get("uplinks");
    Map<String, Object> proxy = (Map<String, Object>) s.get("proxy");
    long up = uplinks.stream().filter(u -> "UP".equals(u.get("state"))).count();
    long uptime = num(s.get("uptimeSeconds")).longValue();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "gateway on %s: %d of %d uplinks up, %d client connections," + " up %dh%02dm%n",
            proxy.get("listen"),
            up,
            uplinks.size(),
            num(proxy.get("clientConnections")).longValue(),
            uptime / 3600,
            uptime % 3600 / 60));
    if (uplinks.isEmpty()) {
      return b.append("no uplinks: connections leave unbound, by the main routing table")
          .append(System.lineSeparator())
          .toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    DateTimeFormatter time = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(zone);
    for (Map<String, Object> u : uplinks) {
      List<Map<String, Object>> history = (List<Map<String, Object>>) u.get("history");
      String last =
          history.isEmpty()
              ? "-"
              : time.format(Instant.ofEpochMilli(num(history.get(0).get("at")).longValue()))
                  + " "
                  + history.get(0).get("from")
                  + "->"
                  + history.get(0).get("to")
                  + ": "
                  + history.get(0).get("cause");
      rows.add(
          new String[] {
            String.valueOf(u.get("name")),
            String.valueOf(u.get("state")),
            u.get("address") + (u.get("interface") == null ? "" : " (" + u.get("interface") + ")"),
            ms(u.get("rttMs")),
            ms(u.get("jitterMs")),
            String.format(Locale.ROOT, "%.1f%%", num(u.get("lossPercent")).doubleValue()),
            rate(num(u.get("inBps")).doubleValue()),
            rate(num(u.get("outBps")).doubleValue()),
            String.valueOf(num(u.get("openConnections")).longValue()),
            String.format(Locale.ROOT, "%.0f%%", num(u.get("share")).doubleValue() * 100),
            last
          });
    }
    int[] width = new int[HEAD.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : pad(r[i], width[i] + 2));
      }
      b.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return b.toString();
  }

  private static Number num(Object o) {
    return o instanceof Number n ? n : 0;
  }

  private static String ms(Object v) {
    return v instanceof Number n ? String.format(Locale.ROOT, "%.1fms", n.doubleValue()) : "n/a";
  }

  static String rate(double bytesPerSecond) {
    double bits = bytesPerSecond * 8;
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
    int i = 0;
    while (bits >= 1000 && i < units.length - 1) {
      bits /= 1000;
      i++;
    }
    return i == 0
        ? String.format(Locale.ROOT, "%.0f%s", bits, units[i])
        : String.format(Locale.ROOT, "%.1f%s", bits, units[i]);
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }
}
