package gateway.core.firewall;

import java.util.List;

/**
 * The policy routing that delivers marked packets to the transparent listener, as argv lists for
 * {@code ip} (the kernel's TPROXY documentation): a rule sending the mark to the plan's table, and
 * a local default route in that table.
 *
 * <pre>
 * ip rule add fwmark 0x100/0x100 lookup 100 priority 100
 * ip route replace local 0.0.0.0/0 dev lo table 100
 * </pre>
 *
 * Deleting removes exactly these two, and nothing else in the table.
 */
public final class PolicyRouting {
  private PolicyRouting() {}

  /** The commands that install the rule and the route, in this order. */
  public static List<List<String>> add(FirewallPlan plan) {
    return List.of(rule("add", plan), route("replace", plan));
  }

  /** The commands that remove them; each fails harmlessly ("No such file") when absent. */
  public static List<List<String>> delete(FirewallPlan plan) {
    return List.of(rule("del", plan), route("del", plan));
  }

  /** Commands as a shell script: one per line, words joined by spaces (none needs quoting). */
  public static String script(List<List<String>> commands) {
    StringBuilder sb = new StringBuilder();
    commands.forEach(c -> sb.append(String.join(" ", c)).append('\n'));
    return sb.toString();
  }

  private static List<String> rule(String verb, FirewallPlan plan) {
    return List.of(
        "ip",
        "rule",
        verb,
        "fwmark",
        "0x" + Integer.toHexString(plan.mark()) + "/0x" + Integer.toHexString(plan.markMask()),
        "lookup",
        Integer.toString(plan.routeTable()),
        "priority",
        Integer.toString(plan.rulePriority()));
  }

  private static List<String> route(String verb, FirewallPlan plan) {
    return List.of(
        "ip",
        "route",
        verb,
        "local",
        "0.0.0.0/0",
        "dev",
        "lo",
        "table",
        Integer.toString(plan.routeTable()));
  }
}
