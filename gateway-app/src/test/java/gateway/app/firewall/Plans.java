package gateway.app.firewall;

import gateway.core.firewall.FirewallPlan;
import gateway.core.net.Cidr;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Firewall rules for tests, rendered by the real {@code gateway.core.firewall}: the LAN
 * 198.18.1.0/24 intercepted on some ports, UDP 443 rejected.
 */
final class Plans {
  private Plans() {}

  /** {@code ports} as nft lists them: {@code "80, 443"}. */
  static FirewallRules ports(String ports, int tproxyPort) {
    Set<Integer> set = new TreeSet<>();
    Arrays.stream(ports.split(",")).map(String::strip).map(Integer::valueOf).forEach(set::add);
    return FirewallRules.of(
        new FirewallPlan(
            FirewallPlan.TABLE,
            List.of(Cidr.parse("198.18.1.0/24")),
            set,
            tproxyPort,
            FirewallPlan.MARK,
            FirewallPlan.MARK_MASK,
            FirewallPlan.ROUTE_TABLE,
            FirewallPlan.RULE_PRIORITY,
            true));
  }
}
