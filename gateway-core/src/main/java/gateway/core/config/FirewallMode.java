package gateway.core.config;

/** {@code firewall}: who installs the gateway's nftables table and its {@code ip rule}s. */
public enum FirewallMode {
  /** The gateway installs them at start, replaces them on reload and removes them at stop. */
  AUTO,
  /**
   * The admin does: {@code gateway firewall --config F} prints them, the gateway leaves them be.
   */
  MANUAL;

  /** The word in the config file: {@code auto}, {@code manual}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
