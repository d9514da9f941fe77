package gateway.core.firewall;

import gateway.core.net.Cidr;
import java.util.stream.Collectors;

/**
 * The gateway's nftables table as the text {@code nft -f} reads, for example (ports 80 and 443,
 * clients 192.168.88.0/24, listener on 3130):
 *
 * <pre>
 * table inet gateway
 * delete table inet gateway
 * table inet gateway {
 * 	set clients4 { type ipv4_addr; flags interval; elements = { 192.168.88.0/24 } }
 * 	set ports { type inet_service; elements = { 80, 443 } }
 * 	chain prerouting {
 * 		type filter hook prerouting priority mangle; policy accept;
 * 		meta nfproto ipv6 return
 * 		meta nfproto ipv4 ip saddr != @clients4 return
 * 		fib daddr type local return
 * 		meta l4proto tcp socket transparent 1 meta mark set meta mark | 0x00000100 accept
 * 		tcp dport != @ports return
 * 		tcp flags &amp; (fin | syn | rst | ack) == syn meta l4proto tcp tproxy ip to :3130 meta mark set meta mark | 0x00000100 accept
 * 	}
 * 	chain forward {
 * 		type filter hook forward priority filter; policy accept;
 * 		ip saddr @clients4 udp dport 443 reject with icmpx type port-unreachable
 * 	}
 * }
 * </pre>
 *
 * (with a short comment above the rules that need a reason). The first two lines make one {@code
 * nft -f} an atomic swap that also works when the table is absent (declaring an empty table is a
 * no-op when it exists; nft 1.0.6 has no {@code destroy}). The order of the prerouting rules is the
 * behaviour:
 *
 * <ul>
 *   <li>IPv6 is not intercepted yet, and in an {@code inet} table {@code ip saddr} does not match
 *       it at all, so it returns first; so do other sources than the clients and packets to the
 *       box's own addresses (its proxy and admin ports are never intercepted into a loop).
 *   <li>Packets of a connection the transparent listener holds are marked, so the policy route
 *       delivers them to its socket.
 *   <li>Only a SYN is sent to the listener: a connection routed while the gateway was down keeps
 *       being routed when it comes back, instead of being reset.
 *   <li>The mark comes after {@code tproxy} in the same rule: with no listener, tproxy ends the
 *       rule unmarked and the SYN is routed (fail-open). A mark before tproxy delivers the SYN
 *       locally with nobody to take it: a blackhole for the whole LAN.
 * </ul>
 *
 * With {@code ports = all} the port set and its rule are left out; without {@code block-quic} the
 * forward chain is.
 */
public final class NftRuleset {
  private NftRuleset() {}

  /** The replace form: swaps the table for this plan's in one transaction. */
  public static String render(FirewallPlan plan) {
    String mark = "meta mark set meta mark | " + hex(plan.mark()) + " accept";
    StringBuilder sb = new StringBuilder(header(plan));
    sb.append("table inet ").append(plan.table()).append(" {\n");
    sb.append("\tset clients4 { type ipv4_addr; flags interval;");
    if (!plan.clients().isEmpty()) {
      sb.append(" elements = { ").append(join(plan)).append(" }");
    }
    sb.append(" }\n");
    if (!plan.allPorts()) {
      sb.append("\tset ports { type inet_service; elements = { ")
          .append(plan.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")))
          .append(" } }\n");
    }
    sb.append("\tchain prerouting {\n");
    sb.append("\t\ttype filter hook prerouting priority mangle; policy accept;\n");
    sb.append("\t\t# IPv6 is not intercepted yet: the kernel routes it.\n");
    sb.append("\t\tmeta nfproto ipv6 return\n");
    sb.append("\t\tmeta nfproto ipv4 ip saddr != @clients4 return\n");
    sb.append("\t\t# The box itself (proxy, admin, listener ports): never intercepted.\n");
    sb.append("\t\tfib daddr type local return\n");
    sb.append("\t\t# Intercepted connections: their packets to the listener's socket.\n");
    sb.append("\t\tmeta l4proto tcp socket transparent 1 ").append(mark).append('\n');
    if (!plan.allPorts()) {
      sb.append("\t\ttcp dport != @ports return\n");
    }
    sb.append("\t\t# SYN only, mark after tproxy: with no listener the SYN is routed, not lost.\n");
    sb.append("\t\ttcp flags & (fin | syn | rst | ack) == syn meta l4proto tcp tproxy ip to :")
        .append(plan.tproxyPort())
        .append(' ')
        .append(mark)
        .append('\n');
    sb.append("\t}\n");
    if (plan.blockQuic()) {
      sb.append("\tchain forward {\n");
      sb.append("\t\ttype filter hook forward priority filter; policy accept;\n");
      sb.append("\t\t# QUIC (UDP 443) refused at once: browsers fall back to TCP.\n");
      sb.append("\t\tip saddr @clients4 udp dport 443 reject with icmpx type port-unreachable\n");
      sb.append("\t}\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  /** The removal: deletes the table, and does nothing when it is absent. */
  public static String renderRemoval(FirewallPlan plan) {
    return header(plan);
  }

  private static String header(FirewallPlan plan) {
    return "table inet " + plan.table() + "\ndelete table inet " + plan.table() + "\n";
  }

  private static String join(FirewallPlan plan) {
    return plan.clients().stream().map(Cidr::toString).collect(Collectors.joining(", "));
  }

  private static String hex(int mark) {
    return String.format(java.util.Locale.ROOT, "0x%08x", mark);
  }
}
