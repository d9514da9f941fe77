package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe targets of each uplink, from {@code health.targets} and {@code
 * uplinks[].health-targets} (which replace the common ones for that uplink). icmp targets are
 * skipped, with one WARN, where there is no {@code ping} command.
 */
final class ProbeTargets {
  // The monitor's logger: the admin reads these lines as the monitor's.
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private ProbeTargets() {}

  /** The targets that can be probed here: icmp ones are skipped where there is no ping command. */
  static List<ProbeTarget> usable(List<ProbeTarget> targets) {
    List<ProbeTarget> ps = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (ProbeTarget target : targets) {
      if (target instanceof ProbeTarget.Icmp && !IcmpProbe.available()) {
        skipped.add(target.text());
      } else {
        ps.add(target);
      }
    }
    if (!skipped.isEmpty()) {
      log.warn(
          "icmp unavailable: no ping command on this system; skipping health targets {}", skipped);
    }
    return List.copyOf(ps);
  }

  /** Per uplink name, in order: its own targets, or {@code common} when it has none. */
  static Map<String, List<ProbeTarget>> perUplink(
      List<Uplink> uplinks, Map<String, List<ProbeTarget>> own, List<ProbeTarget> common) {
    Map<String, List<ProbeTarget>> out = new LinkedHashMap<>();
    for (Uplink u : uplinks) {
      List<ProbeTarget> targets = own.getOrDefault(u.name(), List.of());
      out.put(u.name(), targets.isEmpty() ? common : usable(targets));
    }
    return out;
  }
}
