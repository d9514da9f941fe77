package gateway.app.admin;

import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Uplink;
import gateway.pcc.health.StateChange;
import gateway.pcc.health.UplinkState;
import gateway.proxy.cache.CacheCounters;
import gateway.proxy.cache.store.CacheStats;
import gateway.proxy.upstream.Route;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/status}: the gateway's state as one JSON document, which the status page draws and
 * {@code gateway status} prints. Times are epoch milliseconds, durations milliseconds, rates bytes
 * per second; a value not known is {@code null}.
 *
 * <h2>Shape (version 1)</h2>
 *
 * <pre>
 * {"version":1, "time":1764178488123, "uptimeSeconds":3600,
 *  "proxy":{"listen":"0.0.0.0:3128", "clientConnections":12},
 *  "uplinks":[{"name":"isp1", "address":"192.168.1.2", "interface":"eth1", "weight":2, "tier":1,
 *     "state":"UP", "rttMs":21.3, "jitterMs":0.4, "lossPercent":0, "inBps":120000, "outBps":8000,
 *     "bytesIn":1234567, "bytesOut":45678, "connections":340, "connectFailures":2,
 *     "openConnections":7, "share":0.66, "stateChanges":2,
 *     "history":[{"at":..., "from":"UP", "to":"DOWN", "cause":"3 failed rounds in a row",
 *                 "line":"uplink isp1 UP -&gt; DOWN: ..."}],
 *     "samples":{"at":[...], "rttMs":[...], "lossPercent":[...], "inBps":[...], "outBps":[...]}}],
 *  "direct":{"connections":5, "bytesIn":..., "bytesOut":...},
 *  "clients":{"top":[{"address":"192.168.88.10", "connections":3, "requests":120, "bytes":5120000}]},
 *  "cache":null | {"memoryBytes":..., "memoryObjects":..., "diskBytes":..., "diskObjects":...,
 *     "damaged":0, "diskWritesDisabled":false, "hits":40, "requests":100, "hitRatio":0.4,
 *     "hitBytes":..., "bytes":..., "byteHitRatio":0.3},
 *  "rules":null | [{"name":"no-video-office-hours", "matches":3}]}
 * </pre>
 *
 * <p>{@code share} is the uplink's part of all upstream connections opened through uplinks since
 * start; {@code direct} counts connections to the box's own networks (no uplink).
 */
public final class StatusDocument {
  public static final int VERSION = 1;
  public static final int TOP_CLIENTS = 10;

  private StatusDocument() {}

  public static Map<String, Object> build(AdminSources s) {
    long now = s.clock().getAsLong();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", VERSION);
    doc.put("time", now);
    doc.put("uptimeSeconds", Math.max(0, (now - s.startedMillis()) / 1000));
    doc.put(
        "proxy",
        map(
            "listen",
            s.config().listen().host() + ":" + s.proxyAddress().getPort(),
            "clientConnections",
            s.openClientConnections().getAsInt()));

    Map<String, UplinkCounters.Snapshot> counters = s.counters().snapshot();
    Map<String, UplinkState> states = s.uplinkStates().get();
    Map<String, Integer> open = s.openUpstream().get();
    Map<String, List<UplinkHistory.Sample>> samples = s.history().samples();
    long allConnections =
        s.uplinks().stream()
            .mapToLong(u -> counters.getOrDefault(u.name(), ZERO).connections())
            .sum();
    List<Object> uplinks = new ArrayList<>();
    for (Uplink u : s.uplinks()) {
      UplinkCounters.Snapshot c = counters.getOrDefault(u.name(), ZERO);
      Optional<UplinkState> st = Optional.ofNullable(states.get(u.name()));
      Optional<UplinkHistory.Sample> latest = s.history().latest(u.name());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", u.name());
      m.put("address", u.address().getHostAddress());
      m.put("interface", u.interfaceName().orElse(null));
      m.put("weight", u.weight());
      m.put("tier", u.tier());
      m.put("state", st.map(x -> x.state().name()).orElse("UP"));
      m.put("rttMs", st.flatMap(x -> x.stats().rttMedian()).map(StatusDocument::ms).orElse(null));
      m.put("jitterMs", st.flatMap(x -> x.stats().jitter()).map(StatusDocument::ms).orElse(null));
      m.put("lossPercent", st.map(x -> x.stats().lossPercent()).orElse(0.0));
      m.put("inBps", latest.map(UplinkHistory.Sample::inBytesPerSecond).orElse(0.0));
      m.put("outBps", latest.map(UplinkHistory.Sample::outBytesPerSecond).orElse(0.0));
      m.put("bytesIn", c.bytesIn());
      m.put("bytesOut", c.bytesOut());
      m.put("connections", c.connections());
      m.put("connectFailures", c.connectFailures());
      m.put("openConnections", open.getOrDefault(u.name(), 0));
      m.put("share", allConnections == 0 ? 0.0 : (double) c.connections() / allConnections);
      m.put("stateChanges", st.map(UplinkState::changes).orElse(0L));
      m.put("history", st.map(x -> history(x.history())).orElse(List.of()));
      m.put("samples", columns(samples.getOrDefault(u.name(), List.of())));
      uplinks.add(m);
    }
    doc.put("uplinks", uplinks);
    UplinkCounters.Snapshot local = counters.getOrDefault(Route.LOCAL, ZERO);
    UplinkCounters.Snapshot unbound = counters.getOrDefault(Route.UNBOUND, ZERO);
    doc.put(
        "direct",
        map(
            "connections",
            local.connections() + unbound.connections(),
            "bytesIn",
            local.bytesIn() + unbound.bytesIn(),
            "bytesOut",
            local.bytesOut() + unbound.bytesOut()));
    doc.put("clients", map("top", topClients(s)));
    doc.put("cache", cache(s));
    doc.put("rules", s.rules().matches().map(StatusDocument::rules).orElse(null));
    return doc;
  }

  private static final UplinkCounters.Snapshot ZERO = new UplinkCounters.Snapshot(0, 0, 0, 0);

  private static List<Object> history(List<StateChange> changes) {
    List<Object> out = new ArrayList<>();
    // Newest first: what the admin wants to see at the top.
    for (int i = changes.size() - 1; i >= 0; i--) {
      StateChange c = changes.get(i);
      out.add(
          map(
              "at",
              c.at().toEpochMilli(),
              "from",
              c.from().name(),
              "to",
              c.to().name(),
              "cause",
              c.cause(),
              "line",
              c.logLine()));
    }
    return out;
  }

  private static Map<String, Object> columns(List<UplinkHistory.Sample> samples) {
    List<Object> at = new ArrayList<>();
    List<Object> rtt = new ArrayList<>();
    List<Object> loss = new ArrayList<>();
    List<Object> in = new ArrayList<>();
    List<Object> out = new ArrayList<>();
    for (UplinkHistory.Sample x : samples) {
      at.add(x.atMillis());
      rtt.add(x.rttMillis());
      loss.add(x.lossPercent());
      in.add(x.inBytesPerSecond());
      out.add(x.outBytesPerSecond());
    }
    return map("at", at, "rttMs", rtt, "lossPercent", loss, "inBps", in, "outBps", out);
  }

  private static List<Object> topClients(AdminSources s) {
    Map<String, Integer> conns = new LinkedHashMap<>();
    for (Map.Entry<InetAddress, Integer> e : s.clientConnections().get().entrySet()) {
      conns.put(e.getKey().getHostAddress(), e.getValue());
    }
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    for (TrafficTally.Client c : s.traffic().topClients(TOP_CLIENTS)) {
      rows.put(
          c.address(),
          map(
              "address",
              c.address(),
              "connections",
              conns.getOrDefault(c.address(), 0),
              "requests",
              c.requests(),
              "bytes",
              c.bytes()));
    }
    // Clients with connections open but nothing logged yet (a long download, a tunnel) count too.
    conns.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(TOP_CLIENTS)
        .forEach(
            e ->
                rows.computeIfAbsent(
                    e.getKey(),
                    k ->
                        map(
                            "address",
                            k,
                            "connections",
                            e.getValue(),
                            "requests",
                            0L,
                            "bytes",
                            0L)));
    List<Object> out = new ArrayList<>(rows.values());
    out.sort(
        Comparator.comparingLong((Object o) -> ((Number) ((Map<?, ?>) o).get("bytes")).longValue())
            .reversed()
            .thenComparing(o -> -((Number) ((Map<?, ?>) o).get("connections")).longValue()));
    return out.size() > TOP_CLIENTS ? out.subList(0, TOP_CLIENTS) : out;
  }

  private static Object cache(AdminSources s) {
    Optional<CacheStats> stats = s.cache().stats();
    if (stats.isEmpty()) {
      return null;
    }
    CacheStats c = stats.get();
    CacheCounters counted = s.cache().counters().orElseThrow();
    long hits = counted.hits();
    long requests = counted.requests();
    long hitBytes = counted.hitBytes();
    long bytes = counted.bytes();
    return map(
        "memoryBytes",
        c.memoryBytes(),
        "memoryObjects",
        c.memoryObjects(),
        "diskBytes",
        c.diskBytes(),
        "diskObjects",
        c.diskObjects(),
        "damaged",
        c.damaged(),
        "diskWritesDisabled",
        c.diskWritesDisabled(),
        "hits",
        hits,
        "requests",
        requests,
        "hitRatio",
        requests == 0 ? null : (double) hits / requests,
        "hitBytes",
        hitBytes,
        "bytes",
        bytes,
        "byteHitRatio",
        bytes == 0 ? null : (double) hitBytes / bytes);
  }

  private static List<Object> rules(Map<String, Long> matches) {
    List<Object> out = new ArrayList<>();
    matches.forEach((name, n) -> out.add(map("name", name, "matches", n)));
    return out;
  }

  static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }

  /** A map of key, value pairs in order (values may be null, unlike Map.of). */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
