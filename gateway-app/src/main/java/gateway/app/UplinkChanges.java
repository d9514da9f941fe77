package gateway.app;

import gateway.core.net.Uplink;
import gateway.pcc.select.UplinkSelector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload does to the uplinks, by name: pure, from the selection in force and the new uplinks.
 *
 * @param added new names
 * @param changed names whose address or interface changed: a new path under an old name
 * @param removed names no longer configured
 * @param anyKeptAvailable whether an uplink that stays as it was (same address and interface) is up
 */
record UplinkChanges(Set<String> added, Set<String> changed, Set<String> removed,
    boolean anyKeptAvailable) {

  static UplinkChanges of(UplinkSelector current, List<Uplink> next) {
    Map<String, Uplink> before = current.uplinks().stream()
        .collect(Collectors.toMap(Uplink::name, Function.identity()));
    Set<String> added = new LinkedHashSet<>();
    Set<String> changed = new LinkedHashSet<>();
    boolean keptAvailable = false;
    for (Uplink u : next) {
      Uplink b = before.get(u.name());
      if (b == null) {
        added.add(u.name());
      } else if (!b.address().equals(u.address()) || !b.interfaceName().equals(u.interfaceName())) {
        changed.add(u.name());
      } else if (current.available().contains(u.name())) {
        keptAvailable = true;
      }
    }
    Set<String> removed = new LinkedHashSet<>(before.keySet());
    next.forEach(u -> removed.remove(u.name()));
    return new UplinkChanges(Set.copyOf(added), Set.copyOf(changed), Set.copyOf(removed),
        keptAvailable);
  }

  /** The uplinks that start afresh: added or changed. */
  Set<String> fresh() {
    Set<String> out = new LinkedHashSet<>(added);
    out.addAll(changed);
    return out;
  }

  /** The uplinks whose open connections are retired: removed or changed. */
  Set<String> retired() {
    Set<String> out = new LinkedHashSet<>(removed);
    out.addAll(changed);
    return out;
  }
}
