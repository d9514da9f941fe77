package gateway.core.config;

import java.util.List;

/**
 * {@code balance.classifier} (one of the nine PCC classifier names, default
 * {@code both-addresses-and-ports}) and {@code balance.pin} rules.
 */
public record BalanceConfig(String classifier, List<PinConfig> pins) {

  /** MikroTik's PCC classifier names, in MikroTik's order. */
  public static final List<String> CLASSIFIERS = List.of(
      "src-address", "dst-address", "both-addresses", "src-port", "dst-port", "both-ports",
      "src-address-and-port", "dst-address-and-port", "both-addresses-and-ports");

  public BalanceConfig {
    pins = List.copyOf(pins);
  }
}
