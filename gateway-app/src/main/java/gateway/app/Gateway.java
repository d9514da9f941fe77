package gateway.app;

import gateway.core.config.GatewayConfig;
import gateway.core.metrics.UplinkCounters;
import gateway.pcc.health.HealthMonitor;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.access.Policies;
import gateway.proxy.cache.HttpCache;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its parts wired by hand from a config ({@link Wiring}), started and stopped
 * ({@link Lifecycle}), reloaded in place ({@link Reloader}). {@link #reload} applies a new config
 * in place; {@link #stop} drains it.
 */
public final class Gateway implements AutoCloseable {
  /**
   * The logger of the gateway's own lines (start, reload, stop), whichever of its classes writes
   * them: the admin reads the logger's name in each line.
   */
  static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Wiring parts;
  private final Lifecycle lifecycle;
  private final Reloader reloader;

  private Gateway(GatewayConfig config) throws IOException, InterruptedException {
    parts = new Wiring(config);
    lifecycle =
        Lifecycle.start(
            parts,
            config,
            proxyAddress ->
                parts.adminSources(
                    config.withClientsAllow(parts.clients), parts.uplinks, proxyAddress));
    reloader = new Reloader(parts, lifecycle);
  }

  /** Starts a gateway; throws when a socket cannot be bound. */
  public static Gateway start(GatewayConfig config) throws IOException, InterruptedException {
    return new Gateway(config);
  }

  public InetSocketAddress proxyAddress() {
    return lifecycle.proxyAddress();
  }

  /** Where the admin listener (status page, metrics, PAC) listens. */
  public InetSocketAddress adminAddress() {
    return lifecycle.admin().address();
  }

  /**
   * Reopens the access log at its path (after a log rotation that moved the file away). For the
   * SIGHUP handler; the shipped logrotate config uses copytruncate and does not need it.
   */
  public void reopenAccessLog() {
    parts.accessLog.reopen();
  }

  public UplinkCounters counters() {
    return parts.counters;
  }

  /** The config in force: the one started with, with what reloads applied. */
  public GatewayConfig config() {
    return parts.live.config();
  }

  /**
   * Access rules and limits in force, with their per-rule counters (for the status page, metrics).
   */
  public Policies policies() {
    return parts.policies;
  }

  /**
   * Applies {@code next} (already loaded and checked) without dropping a connection: everything but
   * {@link Reload#needsRestart} (the listening sockets and the cache). New connections and requests
   * see the new config at once; open ones keep what they were set up with (their uplink, their
   * timeouts, the rules that let them through) and their bandwidth follows changed rates.
   *
   * <p>Uplinks (the rules are {@code Roster}'s, in gateway-pcc): one that stays (same name, address
   * and interface) keeps its health state and takes its new weight, tier and probe targets. One
   * added, or whose address or interface changed, starts DOWN and carries new connections after
   * {@code health.up-after} good probe rounds (its first round runs at once): the uplinks that work
   * carry the traffic meanwhile, and a mistyped address or a missing {@code ip rule} never reaches
   * a user. When no staying uplink is up there is nothing to protect and it starts UP, as at
   * start-up. One removed, or replaced by a changed address or interface, gets no new connections;
   * its open ones run to their end (a reload is no evidence that the link is dead; health closing a
   * dead uplink's connections is) and are never reused from a pool.
   *
   * <p>What can fail (an {@code interface} that cannot be bound, an access log that cannot be
   * opened) is done before anything changes: then this throws and the config in force stays whole.
   * Returns the keys whose changes need a restart (left as they were), for the caller to report.
   */
  public List<String> reload(GatewayConfig next) throws IOException {
    return reloader.reload(next);
  }

  /** The uplink selection in force: which uplinks new connections may use. For tests. */
  UplinkSelector selection() {
    return parts.selection.get();
  }

  /** Uplink health for the status page and tests (with no uplinks, it probes nothing). */
  public HealthMonitor health() {
    return parts.health;
  }

  /**
   * Stops accepting, lets requests and tunnels in flight finish up to shutdown.drain, then closes.
   */
  public void stop() throws InterruptedException {
    lifecycle.stop(config().shutdown().drain());
  }

  @Override
  public void close() {
    lifecycle.close();
  }

  /** The shared HTTP cache, or null when the config has none. */
  public HttpCache cache() {
    return parts.cache;
  }
}
