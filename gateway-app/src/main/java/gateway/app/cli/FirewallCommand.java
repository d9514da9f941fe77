package gateway.app.cli;

import gateway.app.firewall.CommandRunner;
import gateway.app.firewall.Firewall;
import gateway.app.firewall.FirewallException;
import gateway.app.firewall.FirewallRules;
import gateway.core.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Prints the gateway's nftables table and policy routing for a config, as a shell script to run as
 * root (for {@code firewall = manual}: admins who keep their own ruleset); with {@code --remove}
 * the script that takes them away, which {@code --apply} runs at once (for the unit's {@code
 * ExecStopPost=}: even a gateway killed with SIGKILL leaves no rule behind).
 */
@Command(
    name = "firewall",
    mixinStandardHelpOptions = true,
    description = {
      "Print the gateway's nftables table and 'ip rule'/'ip route' commands (a shell script).",
      "--remove prints the removal; --remove --apply runs it (for systemd's ExecStopPost=)."
    })
public final class FirewallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The config file (HOCON).")
  Path config;

  @Option(names = "--remove", description = "The removal instead of the installation.")
  boolean remove;

  @Option(names = "--apply", description = "With --remove: run the removal instead of printing it.")
  boolean apply;

  @Override
  public Integer call() {
    if (apply && !remove) {
      throw new ParameterException(
          spec.commandLine(), "--apply runs the removal only: use it with --remove");
    }
    Optional<GatewayConfig> loaded = ConfigSource.loadOrReport(config, spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return 1;
    }
    FirewallRules rules = FirewallRules.of(loaded.get());
    PrintWriter out = spec.commandLine().getOut();
    if (apply) {
      try {
        new Firewall(CommandRunner.local()).remove(rules);
      } catch (FirewallException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
      out.println("removed: nftables table inet gateway and its policy routing");
      out.flush();
      return 0;
    }
    out.print(remove ? removalScript(rules) : installScript(rules, loaded.get().source()));
    out.flush();
    return 0;
  }

  /** The installation as a shell script: the table through {@code nft -f}, then the routing. */
  static String installScript(FirewallRules rules, String source) {
    StringBuilder s = new StringBuilder();
    s.append("# The gateway's firewall for ")
        .append(source)
        .append(": its nftables table (replaced whole; no other table is touched)\n")
        .append("# and the policy routing of its mark. Run as root; 'gateway firewall --remove'")
        .append(" undoes it.\n");
    nft(s, rules.table());
    // Deleted first, so that running the script twice leaves one rule, not two.
    deletes(s, rules.routingDelete());
    for (List<String> c : rules.routingAdd()) {
      s.append(String.join(" ", c)).append('\n');
    }
    return s.toString();
  }

  /** The removal as a shell script; it succeeds when nothing is installed too. */
  static String removalScript(FirewallRules rules) {
    StringBuilder s = new StringBuilder();
    s.append("# Removes the gateway's nftables table and its policy routing (no other table).\n");
    nft(s, rules.removal());
    deletes(s, rules.routingDelete());
    return s.toString();
  }

  private static void nft(StringBuilder s, String text) {
    s.append("nft -f - <<'NFT'\n").append(text);
    if (!text.endsWith("\n")) {
      s.append('\n');
    }
    s.append("NFT\n");
  }

  /** Deletions that may find nothing to delete: not an error. */
  private static void deletes(StringBuilder s, List<List<String>> commands) {
    for (List<String> c : commands) {
      s.append(String.join(" ", c)).append(" 2>/dev/null || true\n");
    }
  }
}
