package gateway.app;

import gateway.app.admin.AdminSources;
import gateway.app.admin.CacheStatsSource;
import gateway.app.admin.TrafficTally;
import gateway.app.admin.UplinkHistory;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.config.LogConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.metrics.RefusalCounters;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DefaultRouteDiscovery;
import gateway.pcc.classify.Classifier;
import gateway.pcc.health.HealthMonitor;
import gateway.pcc.select.PinRule;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.LiveConfig;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.ClientFilter;
import gateway.proxy.access.LoopGuard;
import gateway.proxy.access.Policies;
import gateway.proxy.access.Policy;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.store.CacheStores;
import gateway.proxy.channel.Transport;
import gateway.proxy.log.AccessLogWriter;
import gateway.proxy.server.ProxyServer;
import gateway.proxy.upstream.OriginResolver;
import gateway.proxy.upstream.Router;
import gateway.proxy.upstream.UplinkFeedback;
import gateway.proxy.upstream.UpstreamConnector;
import io.netty.channel.EventLoopGroup;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * A gateway's parts, made by hand from a config (no DI framework) and joined: the uplinks and their
 * live selection, health, the router with its resolver, the upstream connector, access rules and
 * limits, the access log, the cache, and the proxy server they serve. Starts nothing ({@link
 * Lifecycle} does); a reload makes again through the same methods the parts it replaces ({@link
 * Reloader}).
 */
final class Wiring {
  private static final Logger log = Gateway.LOG;

  /** Who may PURGE: the box itself. */
  private static final List<Cidr> ADMINS = ClientNetworks.LOOPBACK;

  final Transport transport;
  final EventLoopGroup group;
  final LiveSelection selection;
  final SwitchableAccessLog accessLog;

  /** Null when the config has no cache. */
  final HttpCache cache;

  final Router router;
  final HealthMonitor health;
  final UpstreamConnector connector;
  final Policies policies;
  final TrafficTally traffic;

  /** Requests the gateway refused with an answer of its own, per reason. */
  final RefusalCounters refusals = new RefusalCounters();

  /**
   * The config in force (the one started with, with what reloads applied) and its client filter.
   */
  final LiveConfig live;

  /** What the proxy and the transparent listener serve with. */
  final ProxyContext proxyContext;

  final ProxyServer proxy;
  final UplinkCounters counters = new UplinkCounters();
  final UplinkHistory history = new UplinkHistory();

  /** The uplinks and {@code clients.allow} at start-up (a reload brings its own). */
  final List<Uplink> uplinks;

  final List<Cidr> clients;

  Wiring(GatewayConfig config) throws IOException {
    transport = Transport.best();
    uplinks = UplinkDevices.verify(uplinks(config), config);
    selection = new LiveSelection(selector(config, uplinks));
    clients = clientsAllowed(config, uplinks);
    accessLog = new SwitchableAccessLog(openAccessLog(config.log()));
    group = transport.newGroup(Runtime.getRuntime().availableProcessors());
    cache =
        config.cache().memoryBytes() > 0 || config.cache().diskPath().isPresent()
            ? new HttpCache(CacheStores.open(config.cache()))
            : null;
    List<Cidr> local = ClientNetworks.localNetworks(uplinks);
    log.info("reached directly, not through an uplink: {}", local);
    router = new Router(resolver(config, local), selection, local);
    // Always there, with no uplinks too: a reload may add some.
    health =
        new HealthMonitor(
            config.health(),
            uplinks,
            uplinkHealthTargets(config),
            group.next(),
            this::availableChanged);
    UplinkFeedback feedback = new HealthFeedback(health);
    String via =
        "gateway-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    LoopGuard loopGuard = new LoopGuard(ClientNetworks.localAddresses(), via);
    loopGuard.addListener(socket(config.adminListen()));
    connector = new UpstreamConnector(transport, config.timeouts().connect(), counters, feedback);
    policies = new Policies(Policy.of(config), System::nanoTime);
    // Counts requests and bytes per client and per action for the status page, then logs.
    traffic = new TrafficTally(accessLog);
    live = new LiveConfig(config, new ClientFilter(clients));
    proxyContext =
        new ProxyContext(
            live,
            loopGuard,
            router,
            connector,
            traffic,
            System::currentTimeMillis,
            new AtomicBoolean(),
            policies,
            ZoneId.systemDefault(),
            cache,
            new ClientFilter(ADMINS),
            refusals);
    proxy = new ProxyServer(proxyContext, transport, group);
  }

  /** The health monitor changed which uplinks are up: new connections see the new set at once. */
  private void availableChanged(Set<String> available) {
    UplinkSelector before = selection.withAvailable(available);
    // New connections avoid a dead uplink from now on; its open connections are dead too: close
    // them
    // so that waiting requests are retried elsewhere instead of hanging until a timeout.
    for (String name : before.available()) {
      if (!available.contains(name)) {
        int closed = connector.closeUplink(name);
        if (closed > 0) {
          log.info("uplink {} left the selection: closed its {} open connections", name, closed);
        }
      }
    }
  }

  /** What the admin listener shows of this gateway. */
  AdminSources adminSources(
      GatewayConfig shown, List<Uplink> uplinks, InetSocketAddress proxyAddress) {
    return new AdminSources(
        shown,
        proxyAddress,
        uplinks,
        health::states,
        counters,
        connector::openByUplink,
        proxy::openConnections,
        proxy::connectionsByClient,
        traffic,
        history,
        CacheStatsSource.of(cache),
        this::ruleMatches,
        refusals,
        System::currentTimeMillis,
        System.currentTimeMillis());
  }

  /** Matches per access rule in force (each present, zero or not) and per limit that refused. */
  private Optional<Map<String, Long>> ruleMatches() {
    Map<String, Long> out = new TreeMap<>();
    for (AccessRuleConfig rule : live.config().access()) {
      out.put(rule.name(), 0L);
    }
    policies.counters().snapshot().forEach((name, c) -> out.put(name, c.matches()));
    return Optional.of(out);
  }

  /** A resolver for {@code config}'s DNS servers, through the uplinks that work. */
  OriginResolver resolver(GatewayConfig config, List<Cidr> local) {
    List<InetSocketAddress> dns = config.dnsServers().stream().map(Wiring::socket).toList();
    return new OriginResolver(
        transport, dns, Duration.ofSeconds(2), local, selection::healthy, uplinkDnsServers(config));
  }

  /** The configured uplinks, or when none the default routes' interfaces. */
  static List<Uplink> uplinks(GatewayConfig config) {
    if (!config.uplinks().isEmpty()) {
      return config.uplinks().stream().map(UplinkConfig::uplink).toList();
    }
    List<Uplink> found = DefaultRouteDiscovery.discover();
    if (found.isEmpty()) {
      log.warn("no uplinks configured and no default route found: upstream sockets are not bound");
    } else {
      log.info(
          "no uplinks configured: using the default routes' interfaces {}",
          found.stream().map(u -> u.name() + "=" + u.address().getHostAddress()).toList());
    }
    return found;
  }

  /** A selection of every uplink, all available (health narrows it). */
  static UplinkSelector selector(GatewayConfig config, List<Uplink> uplinks) {
    List<PinRule> pins = config.balance().pins().stream().map(PinRule::of).toList();
    return UplinkSelector.of(
        uplinks,
        uplinks.stream().map(Uplink::name).collect(Collectors.toSet()),
        Classifier.of(config.balance().classifier()),
        pins);
  }

  /** {@code clients.allow}, or when empty its default from the listen address and the uplinks. */
  static List<Cidr> clientsAllowed(GatewayConfig config, List<Uplink> uplinks) throws IOException {
    if (!config.clientsAllow().isEmpty()) {
      return config.clientsAllow();
    }
    List<Cidr> clients =
        ClientNetworks.defaults(InetAddress.getByName(config.listen().host()), uplinks);
    log.info("clients.allow not set: serving {}", clients);
    return clients;
  }

  static AccessLogWriter openAccessLog(LogConfig log) throws IOException {
    return log.toStdout()
        ? AccessLogWriter.toStream(new FileOutputStream(FileDescriptor.out), log.accessQueue())
        : AccessLogWriter.toFile(Path.of(log.access()), log.accessQueue());
  }

  /** Uplinks with probe targets of their own ({@code uplinks[].health-targets}). */
  static Map<String, List<ProbeTarget>> uplinkHealthTargets(GatewayConfig config) {
    return config.uplinks().stream()
        .filter(u -> !u.healthTargets().isEmpty())
        .collect(Collectors.toMap(u -> u.name(), u -> u.healthTargets()));
  }

  /** Uplinks with resolvers of their own ({@code uplinks[].dns}). */
  private static Map<String, List<InetSocketAddress>> uplinkDnsServers(GatewayConfig config) {
    return config.uplinks().stream()
        .filter(u -> !u.dnsServers().isEmpty())
        .collect(
            Collectors.toMap(
                u -> u.name(), u -> u.dnsServers().stream().map(Wiring::socket).toList()));
  }

  static InetSocketAddress socket(HostPort hp) {
    return new InetSocketAddress(hp.host(), hp.port());
  }
}
