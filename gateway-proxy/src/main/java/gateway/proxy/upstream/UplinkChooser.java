package gateway.proxy.upstream;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import java.util.List;

/**
 * Picks the uplinks a new upstream connection may leave through, in preference order: the first is
 * the choice, the rest are fallbacks. An empty list means "no uplinks are known: connect unbound".
 */
@FunctionalInterface
public interface UplinkChooser {
  List<Uplink> candidates(FlowKey flow, String host);

  /** Whether uplinks exist at all: then no candidates means every uplink is down. */
  default boolean hasUplinks() {
    return true;
  }

  /** For a box with no uplink configuration: sockets follow the main routing table. */
  static UplinkChooser unbound() {
    return new UplinkChooser() {
      @Override
      public List<Uplink> candidates(FlowKey flow, String host) {
        return List.of();
      }

      @Override
      public boolean hasUplinks() {
        return false;
      }
    };
  }
}
