package gateway.app.torch;

import gateway.app.torch.FlowTable.FlowRate;
import gateway.app.torch.FlowTable.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link Snapshot} as torch's table:
 *
 * <pre>
 * PROTO  LOCAL                REMOTE                  TX-RATE    RX-RATE  TX-PKT/S  RX-PKT/S
 * tcp    192.168.1.2:40512    93.184.215.14:443     42.2 kbps  8.06 Mbps        80       690
 * udp    192.168.1.2:53124    1.1.1.1:53              960 bps  1.52 kbps         1         1
 * tcp    [2001:db8::2]:50000  [2001:db8:1::80]:443    480 bps      0 bps         1         0
 * total  3 flows                                    43.7 kbps  8.06 Mbps        82       691
 * </pre>
 *
 * Rates in bits per second (1 kbps = 1000 bps), as Torch and ISPs count them. Columns are as wide
 * as their widest cell.
 */
public final class TorchView {
  private static final String[] HEAD = {
    "PROTO", "LOCAL", "REMOTE", "TX-RATE", "RX-RATE", "TX-PKT/S", "RX-PKT/S"
  };

  private TorchView() {}

  /** The table, one line per flow and a total line, each ending in a newline. */
  public static String table(Snapshot s) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (FlowRate r : s.top()) {
      rows.add(
          new String[] {
            r.flow().protocol().label(),
            Flow.endpoint(r.flow().local(), r.flow().localPort()),
            Flow.endpoint(r.flow().remote(), r.flow().remotePort()),
            bits(r.txBitsPerSecond()),
            bits(r.rxBitsPerSecond()),
            packets(r.txPacketsPerSecond()),
            packets(r.rxPacketsPerSecond())
          });
    }
    rows.add(
        new String[] {
          "total",
          s.flows() + (s.flows() == 1 ? " flow" : " flows"),
          "",
          bits(s.txBitsPerSecond()),
          bits(s.rxBitsPerSecond()),
          packets(s.txPacketsPerSecond()),
          packets(s.rxPacketsPerSecond())
        });
    int[] width = new int[HEAD.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean number = i >= 3;
        String cell = row[i];
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i == 0 ? "" : "  ").append(number ? pad + cell : cell + pad);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** {@code 0 bps}, {@code 960 bps}, {@code 42.1 kbps}, {@code 8.06 Mbps}, {@code 1.25 Gbps}. */
  public static String bits(double perSecond) {
    if (perSecond < 999.5) {
      return Math.round(perSecond) + " bps";
    }
    String[] units = {"kbps", "Mbps", "Gbps", "Tbps"};
    double v = perSecond / 1000;
    int u = 0;
    while (v >= 999.5 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    String digits =
        v >= 99.95
            ? String.format(Locale.ROOT, "%.0f", v)
            : v >= 9.995
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    return digits + " " + units[u];
  }

  private static String packets(double perSecond) {
    return Long.toString(Math.round(perSecond));
  }
}
