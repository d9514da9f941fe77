package gateway.app.cli;

import gateway.core.config.ConfigException;
import gateway.core.config.ConfigLoader;
import gateway.core.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which config a command uses: the one named, else /etc/gateway/gateway.conf, else the embedded
 * default.
 */
final class ConfigSource {
  private ConfigSource() {}

  /**
   * The config, or empty after printing every problem as {@code file:line: message} to {@code err}.
   */
  static Optional<GatewayConfig> loadOrReport(Path named, PrintWriter err) {
    try {
      return Optional.of(load(named));
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return Optional.empty();
    }
  }

  static GatewayConfig load(Path named) throws ConfigException {
    if (named != null) {
      return ConfigLoader.load(named);
    }
    Optional<Path> system = ConfigLoader.defaultConfigFile();
    if (system.isPresent()) {
      return ConfigLoader.load(system.get());
    }
    return ConfigLoader.embeddedDefault();
  }
}
