package gateway.pcc.health;

import gateway.core.net.Uplink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which uplinks a reload keeps, adds, replaces and removes, and the state each new one starts in: a
 * pure function of the uplinks in force and the uplinks configured now. {@link HealthMonitor}
 * carries it out; the first roster is a merge into an empty one.
 *
 * <ul>
 *   <li><b>By name.</b> An uplink is its name: one renamed is one removed and another added.
 *   <li><b>Same name, address and interface: kept.</b> It keeps its state, counts, statistics and
 *       history, and takes its new weight, tier, probe targets and thresholds.
 *   <li><b>Same name, another address or interface: replaced.</b> A new path under an old name: the
 *       old one is retired (its open connections run to their end) and the new one starts afresh.
 *   <li><b>An added or replaced uplink starts DOWN while a kept one is available:</b> it carries
 *       new connections only after {@code health.up-after} good rounds, so a mistyped address or a
 *       missing {@code ip rule} never reaches a user. When no kept uplink is available there is
 *       nothing to protect and it starts UP, as every uplink does at start-up.
 *   <li><b>A name no longer configured: removed.</b> It gets no new connections and is no longer
 *       probed.
 * </ul>
 */
public final class Roster {
  private Roster() {}

  /** An uplink in force, with its health state now. */
  public record Member(Uplink uplink, HealthState state) {
    public Member {
      Objects.requireNonNull(uplink, "uplink");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * What becomes of each uplink: the configured ones in their order, then the removed ones in their
   * old order.
   *
   * @throws IllegalArgumentException when two configured uplinks share a name
   */
  public static RosterChange merge(List<Member> current, List<Uplink> configured) {
    Map<String, Member> before = new LinkedHashMap<>();
    current.forEach(m -> before.put(m.uplink().name(), m));
    Map<String, Uplink> next = new LinkedHashMap<>();
    for (Uplink u : configured) {
      if (next.put(u.name(), u) != null) {
        throw new IllegalArgumentException("two uplinks are named '" + u.name() + "'");
      }
    }
    boolean keptAvailable =
        next.values().stream()
            .anyMatch(
                u -> {
                  Member m = before.get(u.name());
                  return m != null && samePath(m.uplink(), u) && m.state().available();
                });
    HealthState fresh = keptAvailable ? HealthState.DOWN : HealthState.UP;
    List<RosterChange.Fate> fates = new ArrayList<>();
    for (Uplink u : next.values()) {
      Member m = before.get(u.name());
      if (m == null) {
        fates.add(new RosterChange.Added(u, fresh));
      } else if (samePath(m.uplink(), u)) {
        fates.add(new RosterChange.Kept(u));
      } else {
        fates.add(new RosterChange.Replaced(m.uplink(), u, fresh));
      }
    }
    before.forEach(
        (name, m) -> {
          if (!next.containsKey(name)) {
            fates.add(new RosterChange.Removed(m.uplink()));
          }
        });
    return new RosterChange(fates);
  }

  /** Same source address and interface: the same way out. */
  private static boolean samePath(Uplink a, Uplink b) {
    return a.address().equals(b.address()) && a.interfaceName().equals(b.interfaceName());
  }
}
