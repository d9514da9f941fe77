package gateway.proxy;

import gateway.core.config.GatewayConfig;
import gateway.core.metrics.RefusalCounters;
import gateway.proxy.access.AccessRules;
import gateway.proxy.access.ClientFilter;
import gateway.proxy.access.LoopGuard;
import gateway.proxy.access.Policies;
import gateway.proxy.access.Policy;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.limit.ClientLimits;
import gateway.proxy.log.AccessLog;
import gateway.proxy.upstream.Router;
import gateway.proxy.upstream.UpstreamConnector;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What every client connection's handlers share: the config and the services built from it.
 * Immutable but for {@code draining}, which turns true once when the gateway is asked to stop, and
 * what a reload swaps: the config with its client filter ({@code live}, read through {@link
 * #config()} and {@link #clients()}) and the policy (access rules and limits).
 *
 * @param live the config in force and {@code clients.allow}; read them per connection or request
 * @param clock epoch milliseconds, for the access log and the access rules' time windows
 * @param policies the access rules and per-client limits in force, with their counters and buckets
 * @param zone the box's time zone: access rules' windows are in its wall-clock time
 * @param cache the shared HTTP cache, or null when there is none
 * @param admins who may use the gateway's admin requests ({@code PURGE})
 * @param refusals the requests the gateway refused with an answer of its own, per reason
 */
public record ProxyContext(
    LiveConfig live,
    LoopGuard loopGuard,
    Router router,
    UpstreamConnector connector,
    AccessLog accessLog,
    LongSupplier clock,
    AtomicBoolean draining,
    Policies policies,
    ZoneId zone,
    HttpCache cache,
    ClientFilter admins,
    RefusalCounters refusals) {

  /** A context with a fixed config and client filter (until something calls {@code live().set}). */
  public ProxyContext(
      GatewayConfig config,
      ClientFilter clients,
      LoopGuard loopGuard,
      Router router,
      UpstreamConnector connector,
      AccessLog accessLog,
      LongSupplier clock,
      AtomicBoolean draining,
      Policies policies,
      ZoneId zone,
      HttpCache cache,
      ClientFilter admins) {
    this(
        new LiveConfig(config, clients),
        loopGuard,
        router,
        connector,
        accessLog,
        clock,
        draining,
        policies,
        zone,
        cache,
        admins,
        new RefusalCounters());
  }

  /** A context whose limits come from {@code config} and whose rules are {@code access}. */
  public ProxyContext(
      GatewayConfig config,
      ClientFilter clients,
      LoopGuard loopGuard,
      Router router,
      UpstreamConnector connector,
      AccessLog accessLog,
      LongSupplier clock,
      AtomicBoolean draining,
      AccessRules access,
      ZoneId zone,
      HttpCache cache,
      ClientFilter admins) {
    this(
        config,
        clients,
        loopGuard,
        router,
        connector,
        accessLog,
        clock,
        draining,
        new Policies(new Policy(access, ClientLimits.of(config)), System::nanoTime),
        zone,
        cache,
        admins);
  }

  /** The config in force now: read it when a connection opens or a request arrives. */
  public GatewayConfig config() {
    return live.config();
  }

  /** Who may use the proxy now ({@code clients.allow}). */
  public ClientFilter clients() {
    return live.clients();
  }

  /** The access rules in force now. */
  public AccessRules access() {
    return policies.current().access();
  }

  /** Local wall-clock time at {@code epochMillis}, for the access rules' time windows. */
  public LocalDateTime localTime(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
  }

  public boolean isDraining() {
    return draining.get();
  }
}
