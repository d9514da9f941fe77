package gateway.app.firewall;

import java.util.List;

/** Firewall rules for tests: the LAN 198.18.1.0/24 intercepted on some ports. */
final class Plans {
  private Plans() {}

  static FirewallRules ports(String ports, int tproxyPort) {
    String table =
        """
        table inet gateway
        delete table inet gateway
        table inet gateway {
        	set clients4 { type ipv4_addr; flags interval; elements = { 198.18.1.0/24 } }
        	set ports { type inet_service; elements = { %s } }
        	chain prerouting {
        		type filter hook prerouting priority mangle; policy accept;
        		meta nfproto ipv6 return
        		ip saddr != @clients4 return
        		fib daddr type local return
        		meta l4proto tcp socket transparent 1 meta mark set meta mark | 0x00000100 accept
        		tcp dport != @ports return
        		tcp flags & (fin | syn | rst | ack) == syn meta l4proto tcp tproxy ip to :%d meta mark set meta mark | 0x00000100 accept
        	}
        }
        """
            .formatted(ports, tproxyPort);
    return new FirewallRules(
        table,
        "table inet gateway\ndelete table inet gateway\n",
        List.of(
            List.of(
                "ip", "rule", "add", "fwmark", "0x100/0x100", "lookup", "100", "priority", "100"),
            List.of("ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100")),
        List.of(
            List.of(
                "ip", "rule", "del", "fwmark", "0x100/0x100", "lookup", "100", "priority", "100"),
            List.of("ip", "route", "del", "local", "0.0.0.0/0", "dev", "lo", "table", "100")));
  }
}
