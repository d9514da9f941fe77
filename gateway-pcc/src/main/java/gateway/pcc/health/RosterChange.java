package gateway.pcc.health;

import gateway.core.net.Uplink;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a reload does to the uplinks, one {@link Fate} per name (see {@link Roster} for the rules).
 *
 * @param fates the configured uplinks in their order, then the removed ones
 */
public record RosterChange(List<Fate> fates) {

  public RosterChange {
    fates = List.copyOf(fates);
  }

  /** What becomes of one uplink. */
  public sealed interface Fate permits Kept, Started, Removed {
    /** The uplink as it is from now on; for a removed one, as it was. */
    Uplink uplink();

    default String name() {
      return uplink().name();
    }
  }

  /** An uplink that starts afresh, in {@link #initial()}: added or replaced. */
  public sealed interface Started extends Fate permits Added, Replaced {
    HealthState initial();
  }

  /** Same name, address and interface: keeps its state; takes its new weight and tier. */
  public record Kept(Uplink uplink) implements Fate {}

  /** A new name. */
  public record Added(Uplink uplink, HealthState initial) implements Started {}

  /** An old name with a new address or interface: {@code before} is retired. */
  public record Replaced(Uplink before, Uplink uplink, HealthState initial) implements Started {}

  /** No longer configured. */
  public record Removed(Uplink uplink) implements Fate {}

  /** The uplinks from now on, in the configured order. */
  public List<Uplink> uplinks() {
    return fates.stream().filter(f -> !(f instanceof Removed)).map(Fate::uplink).toList();
  }

  /** The names of the uplinks that start afresh: added, then replaced. */
  public Set<String> started() {
    Set<String> out = new LinkedHashSet<>(names(Added.class));
    out.addAll(names(Replaced.class));
    return out;
  }

  /** The names whose open connections are retired: removed, then replaced. */
  public Set<String> retired() {
    Set<String> out = new LinkedHashSet<>(names(Removed.class));
    out.addAll(names(Replaced.class));
    return out;
  }

  /** The names of the fates of one kind, in order. */
  public Set<String> names(Class<? extends Fate> kind) {
    Set<String> out = new LinkedHashSet<>();
    fates.stream().filter(kind::isInstance).forEach(f -> out.add(f.name()));
    return out;
  }
}
