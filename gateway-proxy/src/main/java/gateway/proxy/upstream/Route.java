package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where and how one upstream connection goes: the resolved origin and the uplinks in preference order
 * (empty: unbound). The first uplink is the choice; the rest are fallbacks.
 */
public record Route(String host, InetSocketAddress origin, List<Uplink> uplinks) {
  /** The name used for connections that no uplink carries (a box run without uplinks). */
  public static final String UNBOUND = "direct";

  public Route {
    uplinks = List.copyOf(uplinks);
  }

  /** The chosen uplink, or null when the gateway runs without uplinks. */
  public Uplink uplink() {
    return uplinks.isEmpty() ? null : uplinks.get(0);
  }

  /** The name the access log and the pool use: the uplink's, or {@code direct}. */
  public String uplinkName() {
    return uplinks.isEmpty() ? UNBOUND : uplinks.get(0).name();
  }
}
