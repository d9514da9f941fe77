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
import gateway.pcc.health.HealthState;
import gateway.pcc.health.RosterChange;
import gateway.pcc.select.PinRule;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.LiveConfig;
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
  private final Transport transport;
  private final LiveConfig live;
  private final Policies policies;
  private final EventLoopGroup group;
  private final SwitchableAccessLog accessLog;
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
  private final TrafficTally traffic;
  private final UplinkHistory history = new UplinkHistory();

  private Gateway(GatewayConfig config) throws IOException, InterruptedException {
    this.config = config;
    transport = Transport.best();
    List<Uplink> uplinks = UplinkDevices.verify(uplinks(config), config);
    selector = new AtomicReference<>(selector(config, uplinks));
    List<Cidr> clients = clientsAllowed(config, uplinks);
    accessLog = new SwitchableAccessLog(openAccessLog(config.log()));
    group = transport.newGroup(Runtime.getRuntime().availableProcessors());
    cache = config.cache().memoryBytes() > 0 || config.cache().diskPath().isPresent()
        ? new HttpCache(CacheStores.open(config.cache())) : null;
    List<Cidr> local = ClientNetworks.localNetworks(uplinks);
    log.info("reached directly, not through an uplink: {}", local);
    router = new Router(resolver(config, local), chooser(), local);
    // Always there, with no uplinks too: a reload may add some.
    health = new HealthMonitor(config.health(), uplinks, uplinkHealthTargets(config), group.next(),
        this::availableChanged);
    UplinkFeedback feedback = new HealthFeedback(health);
    String via = "gateway-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    LoopGuard loopGuard = new LoopGuard(ClientNetworks.localAddresses(), via);
    loopGuard.addListener(socket(config.adminListen()));
    connector = new UpstreamConnector(transport, config.timeouts().connect(), counters, feedback);
    policies = new Policies(Policy.of(config), System::nanoTime);
    // Counts requests and bytes per client and per action for the status page, then logs.
    traffic = new TrafficTally(accessLog);
    live = new LiveConfig(config, new ClientFilter(clients));
    ProxyContext ctx = new ProxyContext(live, loopGuard, router, connector, traffic,
        System::currentTimeMillis, new AtomicBoolean(), policies,
        java.time.ZoneId.systemDefault(), cache, new ClientFilter(ADMINS));
    proxy = new ProxyServer(ctx, transport, group);
    try {
      proxyAddress = proxy.start(socket(config.listen()));
      admin = AdminServer.start(socket(config.adminListen()),
          adminSources(config.withClientsAllow(clients), uplinks),
          config.admin().token(), transport);
      health.start();
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  /** What the admin listener shows of this gateway. */
  private AdminSources adminSources(GatewayConfig shown, List<Uplink> uplinks) {
    return new AdminSources(shown, proxyAddress, uplinks, health::states,
        counters, connector::openByUplink, proxy::openConnections, proxy::connectionsByClient,
        traffic, history,
        CacheStatsSource.of(cache),
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
   * Applies {@code next} (already loaded and checked) without dropping a connection: everything but
   * {@link Reload#needsRestart} (the listening sockets and the cache). New connections and requests
   * see the new config at once; open ones keep what they were set up with (their uplink, their
   * timeouts, the rules that let them through) and their bandwidth follows changed rates.
   *
   * <p>Uplinks: one that stays (same name, address and interface) keeps its health state and takes
   * its new weight, tier and probe targets. One added, or whose address or interface changed, starts
   * DOWN and carries new connections after {@code health.up-after} good probe rounds (its first round
   * runs at once): the uplinks that work carry the traffic meanwhile, and a mistyped address or a
   * missing {@code ip rule} never reaches a user. When no staying uplink is up there is nothing to
   * protect and it starts UP, as at start-up. One removed, or replaced by a changed address or
   * interface, gets no new connections; its open ones run to their end (a reload is no evidence that
   * the link is dead; health closing a dead uplink's connections is) and are never reused from a
   * pool.
   *
   * <p>What can fail (an {@code interface} that cannot be bound, an access log that cannot be
   * opened) is done before anything changes: then this throws and the config in force stays whole.
   * Returns the keys whose changes need a restart (left as they were), for the caller to report.
   */
  public synchronized List<String> reload(GatewayConfig next) throws IOException {
    GatewayConfig before = config;
    List<String> needsRestart = Reload.needsRestart(before, next);
    GatewayConfig target = Reload.applied(before, next);

    // What can fail, before anything changes.
    List<Uplink> uplinks = UplinkDevices.verify(uplinks(target), target);
    UplinkSelector base = selector(target, uplinks);
    List<Cidr> clients = clientsAllowed(target, uplinks);
    List<Cidr> local = ClientNetworks.localNetworks(uplinks);
    boolean newLog = !target.log().equals(before.log());
    AccessLogWriter logWriter = newLog ? openAccessLog(target.log()) : null;

    // The uplinks: health first, then the selection built on its verdicts, on the monitor's loop so
    // that no health change slips in between.
    boolean dnsChanged = !target.dnsServers().equals(before.dnsServers())
        || !uplinks.equals(selector.get().uplinks()) || !local.equals(router.localNetworks());
    java.util.concurrent.CompletableFuture<RosterChange> swapped =
        new java.util.concurrent.CompletableFuture<>();
    health.reconfigure(target.health(),
        gateway.pcc.health.HealthPolicy.of(target.health()), uplinks, uplinkHealthTargets(target))
        .addListener(f -> {
          if (!f.isSuccess()) {
            swapped.completeExceptionally(f.cause());
            return;
          }
          HealthMonitor.Reconfigured done = (HealthMonitor.Reconfigured) f.getNow();
          selector.set(base.withAvailable(done.available()));
          RosterChange roster = done.roster();
          for (String gone : roster.retired()) {
            int open = connector.retireUplink(gone);
            if (open > 0) {
              log.info("uplink {} {} by reload: its {} open connections run to their end", gone,
                  roster.names(RosterChange.Removed.class).contains(gone) ? "removed" : "changed",
                  open);
            }
          }
          swapped.complete(roster);
        });
    RosterChange changes = null;
    try {
      changes = swapped.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.error("reload: the uplinks could not be applied: {}", e.getCause() == null
          ? "the health monitor did not answer" : e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    router.localNetworks(local);
    if (dnsChanged) {
      OriginResolver old = router.replaceResolver(resolver(target, local));
      // Lookups under way finish with the old one (they time out within seconds).
      group.schedule(old::close, 30, TimeUnit.SECONDS);
    }

    connector.connectTimeout(target.timeouts().connect());
    live.set(target, new ClientFilter(clients));
    policies.swap(Policy.of(target));
    if (logWriter != null) {
      accessLog.switchTo(logWriter);
      log.info("access log now {}", target.log().toStdout() ? "standard output" : target.log().access());
    } else {
      accessLog.reopen();
    }
    admin.update(adminSources(target.withClientsAllow(clients), uplinks), target.admin().token());
    config = target;

    log.info("reloaded {}: uplinks {}, {} access rules, {} client groups, limits {}", next.source(),
        uplinks.stream().map(u -> u.name() + "/" + u.weight()
            + (u.tier() > 1 ? "/tier" + u.tier() : "")).toList(),
        next.access().size(), next.groups().size(), Reload.describeLimits(next));
    if (changes != null) {
      for (RosterChange.Fate fate : changes.fates()) {
        if (fate instanceof RosterChange.Started started) {
          log.info("uplink {} {} by reload: {}", fate.name(),
              fate instanceof RosterChange.Added ? "added" : "changed",
              started.initial() == HealthState.DOWN ? "carries new connections after "
                  + target.health().upAfter() + " good probe rounds"
                  : "carries new connections now (no other uplink is up)");
        }
      }
      for (String name : changes.names(RosterChange.Removed.class)) {
        log.info("uplink {} removed by reload: no new connections", name);
      }
    }
    if (!needsRestart.isEmpty()) {
      log.warn("reload: changes to {} take effect only after a restart", needsRestart);
    }
    return needsRestart;
  }

  /** {@code clients.allow}, or when empty its default from the listen address and the uplinks. */
  private static List<Cidr> clientsAllowed(GatewayConfig config, List<Uplink> uplinks)
      throws IOException {
    if (!config.clientsAllow().isEmpty()) {
      return config.clientsAllow();
    }
    List<Cidr> clients =
        ClientNetworks.defaults(InetAddress.getByName(config.listen().host()), uplinks);
    log.info("clients.allow not set: serving {}", clients);
    return clients;
  }

  private static AccessLogWriter openAccessLog(gateway.core.config.LogConfig log)
      throws IOException {
    return log.toStdout()
        ? AccessLogWriter.toStream(new FileOutputStream(FileDescriptor.out), log.accessQueue())
        : AccessLogWriter.toFile(Path.of(log.access()), log.accessQueue());
  }

  private OriginResolver resolver(GatewayConfig config, List<Cidr> local) {
    List<InetSocketAddress> dns = config.dnsServers().stream()
        .map(hp -> new InetSocketAddress(hp.host(), hp.port())).toList();
    return new OriginResolver(transport, dns, Duration.ofSeconds(2), local, this::healthyUplinks,
        uplinkDnsServers(config));
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

  /** The uplink selection in force: which uplinks new connections may use. For tests. */
  UplinkSelector selection() {
    return selector.get();
  }

  /** Uplink health for the status page and tests (with no uplinks, it probes nothing). */
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

  /** The selection in force; with no uplinks at all, sockets are not bound (main routing table). */
  private UplinkChooser chooser() {
    return new UplinkChooser() {
      @Override
      public List<Uplink> candidates(gateway.core.net.FlowKey flow, String host) {
        return selector.get().candidates(flow, host);
      }

      @Override
      public boolean hasUplinks() {
        return !selector.get().uplinks().isEmpty();
      }
    };
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
