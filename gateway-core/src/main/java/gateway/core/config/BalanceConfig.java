package gateway.core.config;

import gateway.core.net.ClassifierMode;
import java.util.List;

/**
 * {@code balance.classifier} (one of the nine PCC classifiers, default {@code
 * both-addresses-and-ports}) and {@code balance.pin} rules.
 */
public record BalanceConfig(ClassifierMode classifier, List<PinConfig> pins) {

  /** MikroTik's PCC classifier names, in MikroTik's order. */
  public static final List<String> CLASSIFIERS = ClassifierMode.configNames();

  public BalanceConfig {
    pins = List.copyOf(pins);
  }
}
