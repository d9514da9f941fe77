package gateway.app.cli;

import gateway.core.config.ConfigException;
import gateway.core.config.ConfigLoader;
import gateway.core.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Optional;

/** Which config a command uses: the one named, else /etc/gateway/gateway.conf, else the embedded default. */
final class ConfigSource {
  private ConfigSource() {}

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
