package gateway.app.cli;

import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DefaultRouteDiscovery;
import gateway.pcc.bind.RoutePlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the policy-routing commands that make a socket bound to an uplink's address leave through
 * that uplink's modem: one routing table per uplink.
 */
@Command(
    name = "routes",
    mixinStandardHelpOptions = true,
    description = "Print the 'ip rule' / 'ip route' commands the uplinks need.")
public final class RoutesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The config file (HOCON).")
  Path config;

  @Override
  public Integer call() {
    Optional<GatewayConfig> loaded = ConfigSource.loadOrReport(config, spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return 1;
    }
    GatewayConfig cfg = loaded.get();
    List<Uplink> uplinks =
        cfg.uplinks().isEmpty()
            ? DefaultRouteDiscovery.discover()
            : cfg.uplinks().stream().map(UplinkConfig::uplink).toList();
    if (uplinks.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("no uplinks configured and none found from default routes");
      return 1;
    }
    spec.commandLine().getOut().print(RoutePlan.forThisMachine(uplinks).text());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
