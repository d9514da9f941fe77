package gateway.core.config;

import com.typesafe.config.ConfigObject;

/** {@code pac}: the proxy auto-config file's fallback. */
final class PacBinder {
  private PacBinder() {}

  static PacConfig bind(Readers r, ConfigObject pac) {
    return new PacConfig(r.tree().required(pac, "pac", "direct-fallback", r.values()::bool, false));
  }
}
