package gateway.app.cli;

import gateway.app.torch.CaptureProblem;
import gateway.app.torch.Torch;
import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DefaultRouteDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway torch UPLINK}: the busiest flows on one uplink, live, like MikroTik's Torch (see
 * {@link Torch}). Needs libpcap and the right to capture; says which is missing otherwise, each
 * with its own exit code.
 */
@Command(
    name = "torch",
    mixinStandardHelpOptions = true,
    description = {
      "Show the busiest flows on an uplink live, like MikroTik's Torch: protocol, local and remote"
          + " address:port, tx and rx rate (bits/s) and packets/s, busiest first, redrawn every"
          + " interval on a terminal (one table after another when the output is not a terminal),"
          + " until Ctrl-C or --seconds.",
      "Captures on the uplink's interface (its 'interface', else the one holding its 'address')"
          + " with libpcap: needs libpcap (apt-get install libpcap0.8) and root or CAP_NET_RAW."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped as asked (--once, --seconds; Ctrl-C ends it as the shell's 130)",
      "1:the config has problems, or the capture failed",
      "2:wrong command line, or no uplink of that name (the names are listed)",
      "3:libpcap is not installed: apt-get install libpcap0.8",
      "4:not allowed to capture: run as root, or setcap cap_net_raw+ep on the java binary",
      "5:the uplink's interface is not on this machine"
    })
public final class TorchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The config with the uplinks (default: /etc/gateway/gateway.conf, else the"
              + " embedded default, which finds the uplinks from the default routes).")
  Path config;

  @Parameters(index = "0", paramLabel = "UPLINK", description = "The uplink's name in the config.")
  String uplink;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N seconds (default: run until Ctrl-C).")
  int seconds;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "20",
      description = "Show the N busiest flows (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--interval",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seconds between tables, e.g. 0.5 (default: ${DEFAULT-VALUE}).")
  double interval;

  @Option(names = "--once", description = "Print one table after one interval and exit (scripts).")
  boolean once;

  @Override
  public Integer call() {
    if (seconds < 0 || top < 1 || !(interval >= 0.1 && interval <= 3600)) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds must be 0 or more, --top 1 or more, --interval 0.1 to 3600 seconds");
    }
    var err = spec.commandLine().getErr();
    Optional<GatewayConfig> loaded = ConfigSource.loadOrReport(config, err);
    if (loaded.isEmpty()) {
      return CaptureProblem.FAILED;
    }
    GatewayConfig cfg = loaded.get();
    List<Uplink> uplinks =
        cfg.uplinks().isEmpty()
            ? DefaultRouteDiscovery.discover()
            : cfg.uplinks().stream().map(UplinkConfig::uplink).toList();
    Optional<Uplink> chosen = uplinks.stream().filter(u -> u.name().equals(uplink)).findFirst();
    if (chosen.isEmpty()) {
      err.println(
          uplinks.isEmpty()
              ? "no uplink named "
                  + uplink
                  + ": none are configured and none were found from the"
                  + " default routes"
              : "no uplink named "
                  + uplink
                  + "; the uplinks are: "
                  + String.join(", ", uplinks.stream().map(Uplink::name).toList()));
      err.flush();
      return CaptureProblem.USAGE;
    }
    Duration every = Duration.ofMillis(Math.round(interval * 1000));
    return Torch.run(
        chosen.get(),
        new Torch.Options(top, every, Duration.ofSeconds(seconds), once),
        spec.commandLine().getOut(),
        err,
        onATerminal());
  }

  /**
   * Whether the output is a terminal (the table is redrawn in place) rather than a pipe or a file.
   */
  @SuppressWarnings(
      "SystemConsoleNull") // Java 17: console() is null exactly when not on a terminal
  private static boolean onATerminal() {
    return System.console() != null;
  }
}
