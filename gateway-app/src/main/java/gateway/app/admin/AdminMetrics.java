package gateway.app.admin;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Uplink;
import gateway.pcc.health.HealthState;
import gateway.pcc.health.UplinkState;
import gateway.proxy.cache.store.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics}: the gateway's figures in Prometheus text format, through Micrometer. Every
 * meter reads the live sources when scraped; nothing is copied in between.
 *
 * <p>Per uplink (label {@code uplink}): {@code gateway_uplink_up}, {@code gateway_uplink_state}
 * (one series per state, 1 for the current one), {@code gateway_uplink_rtt_seconds}, {@code
 * gateway_uplink_jitter_seconds} (NaN while unknown), {@code gateway_uplink_loss_ratio}, {@code
 * gateway_uplink_received_bytes_total}, {@code gateway_uplink_sent_bytes_total}, {@code
 * gateway_uplink_connections_total}, {@code gateway_uplink_connect_failures_total}, {@code
 * gateway_uplink_open_connections}, {@code gateway_uplink_state_changes_total}. Then {@code
 * gateway_client_connections}, {@code gateway_requests_total} (label {@code action}, Squid's result
 * code: the cache hit ratio is {@code TCP_HIT + TCP_MEM_HIT + TCP_REFRESH_UNMODIFIED} over the
 * plain HTTP requests), {@code gateway_refusals_total} (label {@code reason}: one of {@link
 * Refusal}'s labels, e.g. {@code access_rule}, {@code client_connections}, {@code
 * invalid_request}), with a cache {@code gateway_cache_size_bytes} and {@code
 * gateway_cache_objects} (label {@code tier}: memory, disk), {@code
 * gateway_cache_damaged_objects_total}, {@code gateway_cache_disk_read_failures_total}, {@code
 * gateway_cache_disk_writes_disabled}; with counted rules {@code gateway_access_rule_matches_total}
 * (label {@code rule}).
 */
public final class AdminMetrics {
  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AdminSources sources;

  public AdminMetrics(AdminSources sources) {
    this.sources = sources;
    for (Uplink u : sources.uplinks()) {
      uplink(u.name());
    }
    Gauge.builder("gateway.client.connections", sources, s -> s.openClientConnections().getAsInt())
        .description("Client connections open now")
        .register(registry);
    for (CacheAction a : CacheAction.values()) {
      FunctionCounter.builder("gateway.requests", sources, s -> s.traffic().count(a))
          .description("Requests and tunnels logged, by Squid result code")
          .tag("action", a.name())
          .register(registry);
      FunctionCounter.builder("gateway.response", sources, s -> s.traffic().bytes(a))
          .baseUnit("bytes")
          .description(
              "Bytes sent to clients, by Squid result code: the cache's" + " byte-hit ratio")
          .tag("action", a.name())
          .register(registry);
    }
    for (Refusal r : Refusal.values()) {
      FunctionCounter.builder("gateway.refusals", sources, s -> s.refusals().get(r))
          .description("Requests the gateway refused with an answer of its own, by reason")
          .tag("reason", r.label())
          .register(registry);
    }
    if (sources.cache() != CacheStatsSource.NONE) {
      cache();
    }
    if (sources.rules().matches().isPresent()) {
      for (var rule : sources.config().access()) {
        FunctionCounter.builder(
                "gateway.access.rule.matches",
                sources,
                s -> s.rules().matches().map(m -> m.getOrDefault(rule.name(), 0L)).orElse(0L))
            .description("Requests an access rule matched")
            .tag("rule", rule.name())
            .register(registry);
      }
    }
  }

  private void uplink(String name) {
    gauge(
        "gateway.uplink.up",
        name,
        null,
        "1 when the uplink carries new connections",
        s -> state(s, name).map(x -> x.state().available() ? 1.0 : 0.0).orElse(1.0));
    for (HealthState hs : HealthState.values()) {
      Gauge.builder(
              "gateway.uplink.state",
              sources,
              s ->
                  state(s, name)
                      .map(x -> x.state() == hs ? 1.0 : 0.0)
                      .orElse(hs == HealthState.UP ? 1.0 : 0.0))
          .description("1 for the uplink's current health state")
          .tag("uplink", name)
          .tag("state", hs.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    gauge(
        "gateway.uplink.rtt",
        name,
        "seconds",
        "Median probe round-trip time over the window",
        s -> seconds(state(s, name).flatMap(x -> x.stats().rttMedian())));
    gauge(
        "gateway.uplink.jitter",
        name,
        "seconds",
        "Probe RTT jitter over the window",
        s -> seconds(state(s, name).flatMap(x -> x.stats().jitter())));
    gauge(
        "gateway.uplink.loss",
        name,
        "ratio",
        "Probes lost over the window, 0..1",
        s -> state(s, name).map(x -> x.stats().lossPercent() / 100.0).orElse(0.0));
    gauge(
        "gateway.uplink.open.connections",
        name,
        null,
        "Upstream connections open now",
        s -> s.openUpstream().get().getOrDefault(name, 0));
    counter(
        "gateway.uplink.received",
        name,
        "bytes",
        "Bytes received from the internet",
        s -> counters(s, name).bytesIn());
    counter(
        "gateway.uplink.sent",
        name,
        "bytes",
        "Bytes sent to the internet",
        s -> counters(s, name).bytesOut());
    counter(
        "gateway.uplink.connections",
        name,
        null,
        "Upstream connections opened",
        s -> counters(s, name).connections());
    counter(
        "gateway.uplink.connect.failures",
        name,
        null,
        "Upstream connects that failed",
        s -> counters(s, name).connectFailures());
    counter(
        "gateway.uplink.state.changes",
        name,
        null,
        "Health state changes",
        s -> state(s, name).map(UplinkState::changes).orElse(0L));
  }

  private void cache() {
    for (String tier : new String[] {"memory", "disk"}) {
      boolean memory = tier.equals("memory");
      Gauge.builder(
              "gateway.cache.size",
              sources,
              s -> cacheStat(s, c -> memory ? c.memoryBytes() : c.diskBytes()))
          .baseUnit("bytes")
          .description("Bytes the cache holds")
          .tag("tier", tier)
          .register(registry);
      Gauge.builder(
              "gateway.cache.objects",
              sources,
              s -> cacheStat(s, c -> memory ? c.memoryObjects() : c.diskObjects()))
          .description("Objects the cache holds")
          .tag("tier", tier)
          .register(registry);
    }
    FunctionCounter.builder(
            "gateway.cache.damaged.objects", sources, s -> cacheStat(s, CacheStats::damaged))
        .description("Disk objects found damaged and dropped")
        .register(registry);
    FunctionCounter.builder(
            "gateway.cache.disk.read.failures",
            sources,
            s -> cacheStat(s, CacheStats::diskReadFailures))
        .description("Disk cache reads that failed, each answered as a miss")
        .register(registry);
    Gauge.builder(
            "gateway.cache.disk.writes.disabled",
            sources,
            s -> cacheStat(s, c -> c.diskWritesDisabled() ? 1 : 0))
        .description("1 after a full or failing disk stopped cache writes")
        .register(registry);
  }

  private void gauge(
      String metric, String uplink, String unit, String help, ToDoubleFunction<AdminSources> f) {
    Gauge.builder(metric, sources, f)
        .baseUnit(unit)
        .description(help)
        .tag("uplink", uplink)
        .register(registry);
  }

  private void counter(
      String metric, String uplink, String unit, String help, ToDoubleFunction<AdminSources> f) {
    FunctionCounter.builder(metric, sources, f)
        .baseUnit(unit)
        .description(help)
        .tag("uplink", uplink)
        .register(registry);
  }

  private static Optional<UplinkState> state(AdminSources s, String name) {
    return Optional.ofNullable(s.uplinkStates().get().get(name));
  }

  private static UplinkCounters.Snapshot counters(AdminSources s, String name) {
    return s.counters().snapshot().getOrDefault(name, new UplinkCounters.Snapshot(0, 0, 0, 0));
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(Double.NaN);
  }

  private static double cacheStat(AdminSources s, ToDoubleFunction<CacheStats> f) {
    return s.cache().stats().map(f::applyAsDouble).orElse(Double.NaN);
  }

  /** The exposition text. */
  public String scrape() {
    return registry.scrape(CONTENT_TYPE);
  }
}
