package gateway.pcc.bind;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An IPv4 default route of the main routing table, as {@code /proc/net/route} shows it.
 *
 * @param interfaceName the device, e.g. {@code eth1}
 * @param gateway the next hop; empty for a point-to-point device ({@code default dev ppp0})
 * @param metric lower is preferred
 */
public record DefaultRoute(String interfaceName, Optional<InetAddress> gateway, int metric) {}
