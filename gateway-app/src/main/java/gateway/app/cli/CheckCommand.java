package gateway.app.cli;

import gateway.app.firewall.CommandRunner;
import gateway.app.firewall.FirewallRules;
import gateway.app.firewall.Readiness;
import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import gateway.pcc.bind.RoutePlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Validates a config: prints every problem as {@code file:line: message} and exits 1, or says OK.
 * With {@code transparent.enabled} it checks this system too (nftables, forwarding, CAP_NET_ADMIN,
 * TPROXY in the kernel) and exits 1 with a sentence per thing that is missing.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Check a config file; exit 1 and list every problem if it has any.")
public final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The config file (HOCON).")
  Path config;

  @Override
  public Integer call() {
    GatewayConfig cfg;
    try {
      cfg = ConfigSource.load(config);
    } catch (ConfigException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      spec.commandLine()
          .getErr()
          .println(
              e.problems().size() + " problem(s) in " + (config == null ? "the config" : config));
      return 1;
    }
    if (cfg.transparent().enabled()) {
      List<String> missing = transparentProblems(cfg);
      if (!missing.isEmpty()) {
        missing.forEach(p -> spec.commandLine().getErr().println("error: " + p));
        spec.commandLine()
            .getErr()
            .println(missing.size() + " problem(s) on this system for transparent.enabled");
        return 1;
      }
    }
    spec.commandLine().getOut().println("OK: " + cfg.source());
    for (String warning : routingWarnings(cfg)) {
      spec.commandLine().getOut().println("warning: " + warning);
    }
    return 0;
  }

  /** What this system lacks for intercepting the LAN's TCP, each a sentence saying what to do. */
  static List<String> transparentProblems(GatewayConfig cfg) {
    return Readiness.problems(
        Readiness.gather(CommandRunner.local(), CheckCommand::read, FirewallRules.of(cfg).table()));
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Source-address binding only leaves through the right modem when the box has one routing table
   * per uplink: warn when {@code ip rule show} lacks an uplink's rule (the config is still valid).
   */
  static List<String> routingWarnings(GatewayConfig cfg) {
    if (cfg.uplinks().size() < 2) {
      return List.of();
    }
    List<Uplink> uplinks = cfg.uplinks().stream().map(UplinkConfig::uplink).toList();
    Optional<List<String>> rules = ipRuleShow();
    if (rules.isEmpty()) {
      return List.of("cannot run 'ip rule show' to check the policy routing of the uplinks");
    }
    List<String> missing = RoutePlan.forThisMachine(uplinks).missingRules(rules.get());
    List<String> out = new ArrayList<>();
    for (String command : missing) {
      out.add(
          "policy routing rule missing on this system: '" + command + "' (see 'gateway routes')");
    }
    return out;
  }

  private static Optional<List<String>> ipRuleShow() {
    try {
      Process p = new ProcessBuilder("ip", "rule", "show").redirectErrorStream(true).start();
      List<String> lines;
      try (var reader = p.inputReader()) {
        lines = reader.lines().toList();
      }
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(lines);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
