package gateway.core.config;

import com.typesafe.config.ConfigObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code firewall}: {@code auto} (the gateway installs its table) or {@code manual}. */
final class FirewallBinder {
  private static final List<String> WORDS =
      Arrays.stream(FirewallMode.values()).map(FirewallMode::word).toList();

  private FirewallBinder() {}

  static FirewallMode bind(Readers r, ConfigObject root) {
    String word = r.tree().required(root, "", "firewall", r.values().oneOf(WORDS, "mode"), null);
    return word == null ? FirewallMode.AUTO : FirewallMode.valueOf(word.toUpperCase(Locale.ROOT));
  }
}
