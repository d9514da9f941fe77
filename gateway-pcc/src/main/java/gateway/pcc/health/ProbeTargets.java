package gateway.pcc.health;

import gateway.core.net.Uplink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe targets of each uplink, from {@code health.targets} and {@code uplinks[].health-targets}
 * (which replace the common ones for that uplink). icmp targets are skipped, with one WARN, where there
 * is no {@code ping} command.
 */
final class ProbeTargets {
  // The monitor's logger: the admin reads these lines as the monitor's.
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private ProbeTargets() {}

  /** Parses targets, skipping icmp ones where there is no ping command. */
  static List<ProbeTarget> parse(List<String> texts) {
    List<ProbeTarget> ps = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String t : texts) {
      ProbeTarget target = ProbeTarget.parse(t);
      if (target instanceof ProbeTarget.Icmp && !IcmpProbe.available()) {
        skipped.add(t);
      } else {
        ps.add(target);
      }
    }
    if (!skipped.isEmpty()) {
      log.warn("icmp unavailable: no ping command on this system; skipping health targets {}",
          skipped);
    }
    return List.copyOf(ps);
  }

  /** Per uplink name, in order: its own targets, or {@code common} when it has none. */
  static Map<String, List<ProbeTarget>> perUplink(List<Uplink> uplinks,
      Map<String, List<String>> own, List<ProbeTarget> common) {
    Map<String, List<ProbeTarget>> out = new LinkedHashMap<>();
    for (Uplink u : uplinks) {
      List<String> texts = own.getOrDefault(u.name(), List.of());
      out.put(u.name(), texts.isEmpty() ? common : parse(texts));
    }
    return out;
  }
}
