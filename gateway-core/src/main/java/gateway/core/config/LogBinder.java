package gateway.core.config;

import com.typesafe.config.ConfigObject;

/** {@code log}: where the access log goes and how many lines may wait for its writer. */
final class LogBinder {
  private LogBinder() {}

  static LogConfig bind(Readers r, ConfigObject log) {
    return new LogConfig(
        r.tree().required(log, "log", "access", r.values().nonEmptyString(), "-"),
        r.tree().required(log, "log", "access-queue", r.values().intIn(1, Integer.MAX_VALUE), 1));
  }
}
