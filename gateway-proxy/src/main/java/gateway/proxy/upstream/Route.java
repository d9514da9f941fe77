package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where and how one upstream connection goes: the resolved origin and the uplinks in preference
 * order (empty: unbound). The first uplink is the choice; the rest are fallbacks.
 *
 * @param local the origin is on the box's own networks (loopback, the LAN): reached directly,
 *     unbound
 */
public record Route(String host, InetSocketAddress origin, List<Uplink> uplinks, boolean local) {
  /** The name used for connections that no uplink carries (a box run without uplinks). */
  public static final String UNBOUND = "direct";

  /** The name used for connections to the box's own networks. */
  public static final String LOCAL = "local";

  public Route {
    uplinks = List.copyOf(uplinks);
  }

  /** This route without {@code failed} among its uplinks, unless that would leave none. */
  public Route without(Uplink failed) {
    if (uplinks.size() < 2 || !uplinks.contains(failed)) {
      return this;
    }
    return new Route(host, origin, uplinks.stream().filter(u -> !u.equals(failed)).toList(), local);
  }

  /** The chosen uplink, or null when the gateway runs without uplinks. */
  public Uplink uplink() {
    return uplinks.isEmpty() ? null : uplinks.get(0);
  }

  /** The name the access log and the pool use: the uplink's, or {@code direct}. */
  public String uplinkName() {
    return local ? LOCAL : uplinks.isEmpty() ? UNBOUND : uplinks.get(0).name();
  }
}
