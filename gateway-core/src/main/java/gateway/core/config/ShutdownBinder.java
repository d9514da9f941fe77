package gateway.core.config;

import com.typesafe.config.ConfigObject;
import java.time.Duration;

/** {@code shutdown}: how long a stop waits for the requests under way (0s: not at all). */
final class ShutdownBinder {
  private ShutdownBinder() {}

  static ShutdownConfig bind(Readers r, ConfigObject shutdown) {
    return new ShutdownConfig(
        r.tree().required(shutdown, "shutdown", "drain", r.values().duration(true), Duration.ZERO));
  }
}
