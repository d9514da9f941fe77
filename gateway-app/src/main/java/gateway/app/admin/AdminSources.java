package gateway.app.admin;

import gateway.core.config.GatewayConfig;
import gateway.core.metrics.RefusalCounters;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Uplink;
import gateway.pcc.health.UplinkState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything the admin listener reads from a running gateway, as plain values and suppliers: the
 * gateway wires it, tests hand in their own.
 *
 * @param config the running config
 * @param proxyAddress where the proxy listens (the bound port)
 * @param uplinks the uplinks in use, in config order
 * @param uplinkStates the health monitor's view of each uplink (empty without uplinks)
 * @param counters traffic per uplink
 * @param openUpstream open upstream connections per uplink
 * @param openClientConnections open client connections
 * @param clientConnections open client connections per client address
 * @param traffic requests and bytes per client and per access-log action
 * @param history the last minutes of RTT, loss and throughput per uplink
 * @param cache the cache's figures
 * @param rules the access rules' match counts
 * @param refusals the requests the gateway refused itself, per reason
 * @param clock epoch milliseconds
 * @param startedMillis when the gateway started, epoch milliseconds
 */
public record AdminSources(
    GatewayConfig config,
    InetSocketAddress proxyAddress,
    List<Uplink> uplinks,
    Supplier<Map<String, UplinkState>> uplinkStates,
    UplinkCounters counters,
    Supplier<Map<String, Integer>> openUpstream,
    IntSupplier openClientConnections,
    Supplier<Map<InetAddress, Integer>> clientConnections,
    TrafficTally traffic,
    UplinkHistory history,
    CacheStatsSource cache,
    RuleCountsSource rules,
    RefusalCounters refusals,
    LongSupplier clock,
    long startedMillis) {

  public AdminSources {
    uplinks = List.copyOf(uplinks);
  }

  /** Takes the history's sample of this second. */
  public void sampleHistory() {
    history.sample(clock.getAsLong(), uplinkStates.get(), counters.snapshot());
  }
}
