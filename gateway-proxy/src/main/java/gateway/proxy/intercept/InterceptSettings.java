package gateway.proxy.intercept;

import java.time.Duration;

/**
 * How long and how far an intercepted connection's first bytes are read for its server name.
 *
 * @param sniTimeout how long to wait for the first bytes and a whole TLS ClientHello; past it the
 *     connection goes on by its address
 * @param sniMax the most bytes of a ClientHello read for its name (RFC 8446 allows 16 KiB records;
 *     post-quantum key shares make hellos of 1.5 to 2 KiB common)
 */
public record InterceptSettings(Duration sniTimeout, int sniMax) {
  /** {@code transparent.sni-timeout} and {@code transparent.sni-max}'s defaults. */
  public static final InterceptSettings DEFAULT =
      new InterceptSettings(Duration.ofSeconds(5), 16384);

  public InterceptSettings {
    if (sniTimeout.isNegative() || sniTimeout.isZero()) {
      throw new IllegalArgumentException("sni-timeout must be positive: " + sniTimeout);
    }
    if (sniMax < 5) {
      throw new IllegalArgumentException("sni-max must hold a TLS record header: " + sniMax);
    }
  }
}
