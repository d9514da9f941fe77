package gateway.app.firewall;

import gateway.core.config.GatewayConfig;
import gateway.core.firewall.FirewallPlan;
import gateway.core.firewall.NftRuleset;
import gateway.core.firewall.PolicyRouting;
import java.util.List;

/**
 * What the firewall puts on the box for one plan, already rendered: the nftables text that replaces
 * the gateway's table in one {@code nft -f} (creates it when absent), the text that deletes it (and
 * succeeds when it is absent), and the policy-routing commands that add and delete the mark's
 * {@code ip rule} and local route. Every text names the gateway's own table only.
 *
 * @param table {@code nft -f} input: {@code table inet gateway} / {@code delete table inet gateway}
 *     / the full table
 * @param removal {@code nft -f} input that deletes the table, whether it exists or not
 * @param routingAdd {@code ip} argument lists, run in order after the table is in place
 * @param routingDelete {@code ip} argument lists that undo {@code routingAdd}; a missing rule or
 *     route is no error
 */
public record FirewallRules(
    String table, String removal, List<List<String>> routingAdd, List<List<String>> routingDelete) {
  public FirewallRules {
    routingAdd = routingAdd.stream().map(List::copyOf).toList();
    routingDelete = routingDelete.stream().map(List::copyOf).toList();
  }

  /** The rules of {@code plan}, rendered by {@code gateway.core.firewall}. */
  public static FirewallRules of(FirewallPlan plan) {
    return new FirewallRules(
        NftRuleset.render(plan),
        NftRuleset.renderRemoval(plan),
        PolicyRouting.add(plan),
        PolicyRouting.delete(plan));
  }

  /** The rules of {@code config}'s plan ({@code clients.allow}, transparent ports, block-quic). */
  public static FirewallRules of(GatewayConfig config) {
    return of(FirewallPlan.of(config));
  }
}
