package gateway.core.config;

import com.typesafe.config.ConfigObject;
import java.time.Duration;

/** {@code timeouts}: connect, request header, response, idle; each more than 0s. */
final class TimeoutsBinder {
  private TimeoutsBinder() {}

  static TimeoutsConfig bind(Readers r, ConfigObject t) {
    ConfigTree tree = r.tree();
    ValueReader<Duration> positive = r.values().duration(false);
    return new TimeoutsConfig(
        tree.required(t, "timeouts", "connect", positive, Duration.ZERO),
        tree.required(t, "timeouts", "request-header", positive, Duration.ZERO),
        tree.required(t, "timeouts", "response", positive, Duration.ZERO),
        tree.required(t, "timeouts", "idle", positive, Duration.ZERO));
  }
}
