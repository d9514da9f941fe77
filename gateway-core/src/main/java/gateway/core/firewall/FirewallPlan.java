package gateway.core.firewall;

import gateway.core.config.GatewayConfig;
import gateway.core.config.TransparentConfig;
import gateway.core.net.Cidr;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the gateway's firewall does for transparent interception, as values: rendered as nftables
 * text by {@link NftRuleset} and as {@code ip} commands by {@link PolicyRouting}.
 *
 * @param table the nftables table ({@code inet} family) the gateway owns; nothing else is touched
 * @param clients the IPv4 networks whose TCP is intercepted ({@code clients.allow}); IPv6 clients
 *     are not intercepted yet, so they are left out and their traffic is routed by the kernel
 * @param ports the destination ports intercepted, ascending; empty means all
 * @param tproxyPort the transparent listener's port ({@code transparent.listen-port})
 * @param mark the packet mark that sends intercepted packets to {@code routeTable}
 * @param markMask the bits of the mark the gateway owns; other bits are left to others
 * @param routeTable the routing table holding {@code local 0.0.0.0/0 dev lo}
 * @param rulePriority the priority of the {@code ip rule} for the mark
 * @param blockQuic reject the clients' UDP to port 443 ({@code transparent.block-quic})
 */
public record FirewallPlan(
    String table,
    List<Cidr> clients,
    Set<Integer> ports,
    int tproxyPort,
    int mark,
    int markMask,
    int routeTable,
    int rulePriority,
    boolean blockQuic) {

  /** The one table the gateway owns: {@code table inet gateway}. */
  public static final String TABLE = "gateway";

  /**
   * One bit, 0x100: {@code gateway routes} uses no fwmark (its rules select by source address), and
   * the low byte stays free for per-uplink marks of kernel steering.
   */
  public static final int MARK = 0x100;

  public static final int MARK_MASK = 0x100;

  /**
   * Table and priority 100: just before the uplinks' tables and rules, which {@code gateway routes}
   * numbers from 101 (table = priority), so the two never share a number, and an intercepted packet
   * meets its local route before any uplink's rule.
   */
  public static final int ROUTE_TABLE = 100;

  public static final int RULE_PRIORITY = 100;

  public FirewallPlan {
    clients = List.copyOf(clients);
    ports = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    for (Cidr c : clients) {
      if (c.network().length != 4) {
        throw new IllegalArgumentException("not an IPv4 network: " + c);
      }
    }
    if ((mark & ~markMask) != 0 || mark == 0) {
      throw new IllegalArgumentException(
          "mark 0x" + Integer.toHexString(mark) + " not in its mask");
    }
  }

  /**
   * The plan for {@code config}: its {@code clients.allow} as resolved at start (an empty list here
   * means no client is intercepted; the application passes the resolved default), its {@code
   * transparent} section, the table, mark and routing table above.
   */
  public static FirewallPlan of(GatewayConfig config) {
    TransparentConfig t = config.transparent();
    List<Cidr> ipv4 = config.clientsAllow().stream().filter(c -> c.network().length == 4).toList();
    return new FirewallPlan(
        TABLE,
        ipv4,
        t.ports(),
        t.listenPort(),
        MARK,
        MARK_MASK,
        ROUTE_TABLE,
        RULE_PRIORITY,
        t.blockQuic());
  }

  /** Whether every destination port is intercepted. */
  public boolean allPorts() {
    return ports.isEmpty();
  }
}
