package gateway.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar gateway.jar [run] [--config FILE]}, {@code check}, {@code routes}, {@code
 * firewall}, {@code status}, {@code purge URL}, {@code torch UPLINK}. Exit codes: 0 done, 1 the
 * config (or the system) has a problem, 2 the command line was wrong; {@code torch} adds 3 no
 * libpcap, 4 not allowed to capture, 5 no such interface.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    version = "gateway 0.1",
    description =
        "Dual-WAN office gateway: HTTP/HTTPS forward proxy with per-connection uplink choice.",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      RoutesCommand.class,
      FirewallCommand.class,
      StatusCommand.class,
      PurgeCommand.class,
      TorchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Config file for the default 'run' command.")
  Path config;

  /** Without a sub-command, run. */
  @Override
  public Integer call() {
    RunCommand run = spec.subcommands().get("run").getCommand();
    run.config = config;
    return run.call();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
