package gateway.core.net;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The nine per-connection classifiers of MikroTik's PCC by the fields of a {@link FlowKey} each
 * hashes, as {@code balance.classifier} and a pin's {@code classifier} name them. How a flow is
 * hashed is gateway-pcc's {@code Classifier}, one for each mode.
 */
public enum ClassifierMode {
  SRC_ADDRESS("src-address"),
  DST_ADDRESS("dst-address"),
  BOTH_ADDRESSES("both-addresses"),
  SRC_PORT("src-port"),
  DST_PORT("dst-port"),
  BOTH_PORTS("both-ports"),
  SRC_ADDRESS_AND_PORT("src-address-and-port"),
  DST_ADDRESS_AND_PORT("dst-address-and-port"),
  BOTH_ADDRESSES_AND_PORTS("both-addresses-and-ports");

  /** The default of {@code balance.classifier}. */
  public static final ClassifierMode DEFAULT = BOTH_ADDRESSES_AND_PORTS;

  private final String configName;

  ClassifierMode(String configName) {
    this.configName = configName;
  }

  /** The MikroTik / config name, e.g. {@code both-addresses-and-ports}. */
  public String configName() {
    return configName;
  }

  /** The mode the config calls {@code name} (exact, lower case), if any. */
  public static Optional<ClassifierMode> named(String name) {
    return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst();
  }

  /** Every config name, in MikroTik's order. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(ClassifierMode::configName).toList();
  }

  @Override
  public String toString() {
    return configName;
  }
}
