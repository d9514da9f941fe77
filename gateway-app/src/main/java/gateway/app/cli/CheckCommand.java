package gateway.app.cli;

import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Validates a config: prints every problem as {@code file:line: message} and exits 1, or says OK. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a config file; exit 1 and list every problem if it has any.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "The config file (HOCON).")
  Path config;

  @Override
  public Integer call() {
    GatewayConfig cfg;
    try {
      cfg = ConfigSource.load(config);
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      System.err.println(e.problems().size() + " problem(s) in "
          + (config == null ? "the config" : config));
      return 1;
    }
    System.out.println("OK: " + cfg.source());
    return 0;
  }
}
