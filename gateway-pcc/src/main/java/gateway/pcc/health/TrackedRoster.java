package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The uplinks the monitor tracks, by name in the configured order: puts a {@link RosterChange} in
 * force and says which uplinks are available. Used on the monitor's event loop only.
 */
final class TrackedRoster {
  private final Map<String, TrackedUplink> byName = new LinkedHashMap<>();

  /** The roster in force, for {@link Roster#merge}. */
  List<Roster.Member> members() {
    return byName.values().stream()
        .map(t -> new Roster.Member(t.uplink, t.health.state()))
        .toList();
  }

  /** The tracked uplink of that name, or null. */
  TrackedUplink get(String name) {
    return byName.get(name);
  }

  Collection<TrackedUplink> all() {
    return byName.values();
  }

  /** Whether any uplink has a target to probe. */
  boolean anyTargets() {
    return byName.values().stream().anyMatch(t -> !t.targets.isEmpty());
  }

  /**
   * Puts {@code change} in force: a kept uplink takes its new config, targets and thresholds
   * ({@code thresholdChange} gets the state change new thresholds may cause); a started one is
   * tracked afresh and the one it replaces retired; a removed one is retired. Returns the started
   * ones.
   */
  List<TrackedUplink> carryOut(
      RosterChange change,
      HealthPolicy policy,
      Map<String, List<ProbeTarget>> targets,
      Instant now,
      BiConsumer<TrackedUplink, StateChange> thresholdChange) {
    Map<String, TrackedUplink> next = new LinkedHashMap<>();
    List<TrackedUplink> started = new ArrayList<>();
    for (RosterChange.Fate fate : change.fates()) {
      TrackedUplink before = byName.get(fate.name());
      if (fate instanceof RosterChange.Kept) {
        before.uplink = fate.uplink();
        before.targets = targets.get(fate.name());
        before.health.policy(policy, now).ifPresent(c -> thresholdChange.accept(before, c));
        next.put(fate.name(), before);
      } else if (fate instanceof RosterChange.Started s) {
        if (before != null) {
          before.retired = true;
        }
        TrackedUplink t =
            new TrackedUplink(s.uplink(), policy, targets.get(fate.name()), s.initial());
        started.add(t);
        next.put(fate.name(), t);
      } else {
        before.retired = true;
      }
    }
    byName.clear();
    byName.putAll(next);
    return started;
  }

  /** The available uplinks' names, in order. */
  Set<String> available() {
    Set<String> names = new LinkedHashSet<>();
    byName
        .values()
        .forEach(
            t -> {
              if (t.health.state().available()) {
                names.add(t.uplink.name());
              }
            });
    return Collections.unmodifiableSet(names);
  }

  /** Every uplink's state, for the status page. */
  Map<String, UplinkState> states() {
    Map<String, UplinkState> m = new LinkedHashMap<>();
    byName.forEach((name, t) -> m.put(name, t.state()));
    return Collections.unmodifiableMap(m);
  }
}
