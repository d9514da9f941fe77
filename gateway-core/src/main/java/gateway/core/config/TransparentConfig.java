package gateway.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code transparent.*}: interception of the LAN's TCP (nftables TPROXY to a listener of its own).
 *
 * @param enabled {@code transparent.enabled}: take over the clients' new TCP connections
 * @param ports {@code transparent.ports}: destination ports intercepted, in ascending order; empty
 *     means all ({@code ports = all})
 * @param blockQuic {@code transparent.block-quic}: reject the clients' UDP to port 443 (QUIC) so
 *     browsers fall back to TCP; defaults to {@code enabled}
 * @param listenPort {@code transparent.listen-port}: the port of the transparent listener, which
 *     the ruleset sends intercepted connections to; never the proxy's or the admin port
 * @param sniTimeout {@code transparent.sni-timeout}: how long a TLS ClientHello may take to arrive
 *     (0s excluded, at most 60s)
 * @param sniMax {@code transparent.sni-max}: the most bytes read while looking for the
 *     ClientHello's server name (1 KiB..64 KiB)
 */
public record TransparentConfig(
    boolean enabled,
    Set<Integer> ports,
    boolean blockQuic,
    int listenPort,
    Duration sniTimeout,
    int sniMax) {

  public static final int DEFAULT_LISTEN_PORT = 3130;
  public static final Duration DEFAULT_SNI_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_SNI_MAX = 16 * 1024;

  /** Nothing intercepted, nothing blocked; the other values are the defaults. */
  public static final TransparentConfig DISABLED =
      new TransparentConfig(
          false, Set.of(), false, DEFAULT_LISTEN_PORT, DEFAULT_SNI_TIMEOUT, DEFAULT_SNI_MAX);

  public TransparentConfig {
    ports = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
  }

  /** {@link #DISABLED}: the value without a {@code transparent} section. */
  public static TransparentConfig disabled() {
    return DISABLED;
  }

  /** Whether {@code ports = all}. */
  public boolean allPorts() {
    return ports.isEmpty();
  }

  /** Whether a new TCP connection to {@code port} is intercepted: enabled, and the port listed. */
  public boolean intercepts(int port) {
    return enabled && (ports.isEmpty() || ports.contains(port));
  }
}
