package gateway.app;

import gateway.app.admin.AdminServer;
import gateway.app.admin.AdminSources;
import gateway.app.admin.CacheStatsSource;
import gateway.app.admin.RuleCountsSource;
import gateway.app.admin.TrafficTally;
import gateway.app.admin.UplinkHistory;
import gateway.core.config.GatewayConfig;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DefaultRouteDiscovery;
import gateway.pcc.classify.Classifier;
import gateway.pcc.health.HealthMonitor;
import gateway.pcc.select.PinRule;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.Policies;
import gateway.proxy.access.Policy;
import gateway.proxy.cache.CacheStores;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.log.AccessLogWriter;
import gateway.proxy.server.ClientFilter;
import gateway.proxy.server.LoopGuard;
import gateway.proxy.server.ProxyServer;
import gateway.proxy.server.Transport;
import gateway.proxy.upstream.OriginResolver;
import gateway.proxy.upstream.Router;
import gateway.proxy.upstream.UplinkChooser;
import gateway.proxy.upstream.UplinkFeedback;
import gateway.proxy.upstream.UpstreamConnector;
import io.netty.channel.EventLoopGroup;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway, wired by hand from a config: uplinks, selection, resolver, access log, proxy
 * listener. {@link #reload} applies a new config in place; {@link #stop} drains it.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** Who may PURGE: the box itself. */
  private static final List<Cidr> ADMINS = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  /** The config in force: the one started with, with what reloads applied. */
  private volatile GatewayConfig config;
  private final Policies policies;
  private final EventLoopGroup group;
  private final AccessLogWriter accessLog;
  private final Router router;
  private final ProxyServer proxy;
  private final AtomicReference<UplinkSelector> selector;
  private final HealthMonitor health;
  private final UpstreamConnector connector;
  private final InetSocketAddress proxyAddress;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final UplinkCounters counters = new UplinkCounters();
  private final HttpCache cache;
  private final AdminServer admin;

  private Gateway(GatewayConfig config) throws IOException, InterruptedException {
    this.config = config;
    Transport transport = Transport.best();
    List<Uplink> uplinks = UplinkDevices.verify(uplinks(config), config);
    selector = new AtomicReference<>(selector(config, uplinks));
    InetAddress listenHost = InetAddress.getByName(config.listen().host());
    List<Cidr> clients = config.clientsAllow().isEmpty()
        ? ClientNetworks.defaults(listenHost, uplinks)
        : config.clientsAllow();
    if (config.clientsAllow().isEmpty()) {
      log.info("clients.allow not set: serving {}", clients);
    }
    accessLog = config.log().toStdout()
        ? AccessLogWriter.toStream(new FileOutputStream(FileDescriptor.out), config.log().accessQueue())
        : AccessLogWriter.toFile(Path.of(config.log().access()), config.log().accessQueue());
    group = transport.newGroup(Runtime.getRuntime().availableProcessors());
    cache = config.cache().memoryBytes() > 0 || config.cache().diskPath().isPresent()
        ? new HttpCache(CacheStores.open(config.cache())) : null;
    List<InetSocketAddress> dns = config.dnsServers().stream()
        .map(hp -> new InetSocketAddress(hp.host(), hp.port())).toList();
    List<Cidr> local = ClientNetworks.localNetworks(uplinks);
    log.info("reached directly, not through an uplink: {}", local);
    router = new Router(
        new OriginResolver(transport, dns, Duration.ofSeconds(2), local, this::healthyUplinks,
            uplinkDnsServers(config)),
        chooser(!uplinks.isEmpty()), local);
    UplinkFeedback feedback = UplinkFeedback.NONE;
    if (!uplinks.isEmpty()) {
      health = new HealthMonitor(config.health(), uplinks, uplinkHealthTargets(config), group.next(),
          this::availableChanged);
      feedback = new HealthFeedback(health);
    } else {
      health = null;
    }
    String via = "gateway-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    LoopGuard loopGuard = new LoopGuard(ClientNetworks.localAddresses(), via);
    loopGuard.addListener(socket(config.adminListen()));
    connector = new UpstreamConnector(transport, config.timeouts().connect(), counters, feedback);
    policies = new Policies(Policy.of(config), System::nanoTime);
    // Counts requests and bytes per client and per action for the status page, then logs.
    TrafficTally traffic = new TrafficTally(accessLog);
    ProxyContext ctx = new ProxyContext(config, new ClientFilter(clients), loopGuard, router,
        connector, traffic,
        System::currentTimeMillis, new AtomicBoolean(), policies,
        java.time.ZoneId.systemDefault(), cache, new ClientFilter(ADMINS));
    proxy = new ProxyServer(ctx, transport, group);
    try {
      proxyAddress = proxy.start(socket(config.listen()));
      admin = AdminServer.start(socket(config.adminListen()),
          adminSources(config.withClientsAllow(clients), uplinks, traffic),
          config.admin().token(), transport);
      if (health != null) {
        health.start();
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  /** What the admin listener shows of this gateway. */
  private AdminSources adminSources(GatewayConfig shown, List<Uplink> uplinks, TrafficTally traffic) {
    return new AdminSources(shown, proxyAddress, uplinks,
        () -> health == null ? java.util.Map.of() : health.states(),
        counters, connector::openByUplink, proxy::openConnections, proxy::connectionsByClient,
        traffic, new UplinkHistory(),
        cache == null ? CacheStatsSource.NONE : () -> java.util.Optional.of(cache.store().stats()),
        this::ruleMatches,
        System::currentTimeMillis, System.currentTimeMillis());
  }

  /** Matches per access rule in force (each present, zero or not) and per limit that refused. */
  private java.util.Optional<java.util.Map<String, Long>> ruleMatches() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (gateway.core.config.AccessRuleConfig rule : config.access()) {
      out.put(rule.name(), 0L);
    }
    policies.counters().snapshot().forEach((name, c) -> out.put(name, c.matches()));
    return java.util.Optional.of(out);
  }

  /** Starts a gateway; throws when a socket cannot be bound. */
  public static Gateway start(GatewayConfig config) throws IOException, InterruptedException {
    return new Gateway(config);
  }

  public InetSocketAddress proxyAddress() {
    return proxyAddress;
  }

  /** Where the admin listener (status page, metrics, PAC) listens. */
  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  /**
   * Reopens the access log at its path (after a log rotation that moved the file away). For the
   * SIGHUP handler; the shipped logrotate config uses copytruncate and does not need it.
   */
  public void reopenAccessLog() {
    accessLog.reopen();
  }

  public UplinkCounters counters() {
    return counters;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Access rules and limits in force, with their per-rule counters (for the status page, metrics). */
  public Policies policies() {
    return policies;
  }

  /**
   * Applies {@code next} (already loaded and checked) without dropping a connection. What changes in
   * place, for new requests and connections at once: {@code clients.groups}, {@code access}, {@code
   * limits.client-connections}, the bandwidth limits ({@code limits.client-download}, {@code
   * client-upload}, {@code groups}) and {@code uplinks[].max-rate}; open connections keep the rules
   * they were decided by, and their bandwidth follows the new rates. Returns the keys whose changes
   * need a restart to take effect (they are left as they were), for the caller to report.
   *
   * <p>To make more of the config reloadable, apply it here and take its key off {@link
   * Reload#needsRestart}.
   */
  public synchronized List<String> reload(GatewayConfig next) {
    GatewayConfig before = config;
    policies.swap(Policy.of(next));
    List<String> needsRestart = Reload.needsRestart(before, next);
    config = Reload.applied(before, next);
    log.info("reloaded {}: {} access rules, {} client groups, limits {}", next.source(),
        next.access().size(), next.groups().size(), Reload.describeLimits(next));
    if (!needsRestart.isEmpty()) {
      log.warn("reload: changes to {} take effect only after a restart", needsRestart);
    }
    return needsRestart;
  }

  /** The health monitor changed which uplinks are up: new connections see the new set at once. */
  private void availableChanged(Set<String> available) {
    UplinkSelector before = selector.getAndUpdate(s -> s.withAvailable(available));
    // New connections avoid a dead uplink from now on; its open connections are dead too: close them
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

  /** Uplink health for the status page and tests; null when the gateway runs without uplinks. */
  public HealthMonitor health() {
    return health;
  }

  /** The uplinks that work now, best first (lower tier, then higher weight): DNS goes through them. */
  private List<Uplink> healthyUplinks() {
    UplinkSelector s = selector.get();
    return s.uplinks().stream()
        .filter(u -> s.available().contains(u.name()))
        .sorted(java.util.Comparator.comparingInt(Uplink::tier)
            .thenComparing(java.util.Comparator.comparingInt(Uplink::weight).reversed()))
        .toList();
  }

  private UplinkChooser chooser(boolean anyUplink) {
    if (!anyUplink) {
      return UplinkChooser.unbound();
    }
    return (flow, host) -> selector.get().candidates(flow, host);
  }

  private static List<Uplink> uplinks(GatewayConfig config) {
    if (!config.uplinks().isEmpty()) {
      return config.uplinks().stream().map(Uplink::of).toList();
    }
    List<Uplink> found = DefaultRouteDiscovery.discover();
    if (found.isEmpty()) {
      log.warn("no uplinks configured and no default route found: upstream sockets are not bound");
    } else {
      log.info("no uplinks configured: using the default routes' interfaces {}",
          found.stream().map(u -> u.name() + "=" + u.address().getHostAddress()).toList());
    }
    return found;
  }

  /** Uplinks with probe targets of their own ({@code uplinks[].health-targets}). */
  private static java.util.Map<String, List<String>> uplinkHealthTargets(GatewayConfig config) {
    return config.uplinks().stream().filter(u -> !u.healthTargets().isEmpty())
        .collect(java.util.stream.Collectors.toMap(u -> u.name(), u -> u.healthTargets()));
  }

  /** Uplinks with resolvers of their own ({@code uplinks[].dns}). */
  private static java.util.Map<String, List<InetSocketAddress>> uplinkDnsServers(GatewayConfig config) {
    return config.uplinks().stream().filter(u -> !u.dnsServers().isEmpty())
        .collect(java.util.stream.Collectors.toMap(u -> u.name(), u -> u.dnsServers().stream()
            .map(hp -> new InetSocketAddress(hp.host(), hp.port())).toList()));
  }

  private static UplinkSelector selector(GatewayConfig config, List<Uplink> uplinks) {
    List<PinRule> pins = config.balance().pins().stream().map(PinRule::of).toList();
    return UplinkSelector.of(uplinks,
        uplinks.stream().map(Uplink::name).collect(java.util.stream.Collectors.toSet()),
        Classifier.fromName(config.balance().classifier()), pins);
  }

  private static InetSocketAddress socket(HostPort hp) {
    return new InetSocketAddress(hp.host(), hp.port());
  }

  /** Stops accepting, lets requests and tunnels in flight finish up to shutdown.drain, then closes. */
  public void stop() throws InterruptedException {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    Duration drain = config.shutdown().drain();
    log.info("stopping: draining connections for up to {} s", drain.toSeconds());
    int forced = proxy.drain(drain);
    close();
    log.info("stopped ({} connections closed at the deadline)", forced);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (health != null) {
      health.stop().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    if (router != null) {
      router.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (accessLog != null) {
      accessLog.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  /** The shared HTTP cache, or null when the config has none. */
  public HttpCache cache() {
    return cache;
  }
}
