package gateway.proxy.testing;

import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Cidr;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.ClientFilter;
import gateway.proxy.access.LoopGuard;
import gateway.proxy.access.Policies;
import gateway.proxy.access.Policy;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.store.CacheStores;
import gateway.proxy.channel.Transport;
import gateway.proxy.log.AccessLog;
import gateway.proxy.server.ProxyServer;
import gateway.proxy.upstream.OriginResolver;
import gateway.proxy.upstream.Router;
import gateway.proxy.upstream.UplinkChooser;
import gateway.proxy.upstream.UplinkFeedback;
import gateway.proxy.upstream.UpstreamConnector;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A real proxy on 127.0.0.1 and an ephemeral port, for one test. Its access-log records are kept in
 * {@link #records()} for assertions.
 */
public final class RunningProxy implements AutoCloseable {
  private final EventLoopGroup group;
  private final ProxyServer server;
  private final Router router;
  private final InetSocketAddress address;
  private final LinkedBlockingQueue<AccessRecord> records = new LinkedBlockingQueue<>();
  private final UplinkCounters counters = new UplinkCounters();
  private final HttpCache cache;
  private final Policies policies;
  private final LoopGuard loopGuard = new LoopGuard(Set.of(), "gateway-test");
  private final Transport transport;
  private final ProxyContext context;

  private RunningProxy(
      GatewayConfig config,
      UplinkChooser uplinks,
      List<InetSocketAddress> dns,
      LongSupplier clock,
      HttpCache givenCache)
      throws InterruptedException {
    this(config, uplinks, dns, clock, givenCache, 2);
  }

  private RunningProxy(
      GatewayConfig config,
      UplinkChooser uplinks,
      List<InetSocketAddress> dns,
      LongSupplier clock,
      HttpCache givenCache,
      int eventLoops)
      throws InterruptedException {
    // -Dgateway.test.transport=nio runs the suite on Java NIO (the buffer relay instead of splice).
    transport =
        "nio".equals(System.getProperty("gateway.test.transport"))
            ? Transport.nio()
            : Transport.best();
    group = transport.newGroup(eventLoops);
    // No local networks: tests emulate uplinks on loopback, so loopback must go through them.
    router =
        new Router(new OriginResolver(transport, dns, Duration.ofSeconds(2)), uplinks, List.of());
    AccessLog log = records::add;
    InetSocketAddress bind = new InetSocketAddress(config.listen().host(), config.listen().port());
    policies = new Policies(Policy.of(config), System::nanoTime);
    ProxyContext ctx =
        new ProxyContext(
            config,
            new ClientFilter(config.clientsAllow()),
            loopGuard,
            router,
            new UpstreamConnector(
                transport, config.timeouts().connect(), counters, UplinkFeedback.NONE),
            log,
            clock,
            new AtomicBoolean(),
            policies,
            ZoneOffset.UTC,
            givenCache != null
                ? givenCache
                : config.cache().memoryBytes() > 0
                    ? new HttpCache(CacheStores.open(config.cache()))
                    : null,
            new ClientFilter(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"))));
    cache = ctx.cache();
    context = ctx;
    server = new ProxyServer(ctx, transport, group);
    address = server.start(bind);
  }

  public static RunningProxy start(GatewayConfig config) throws InterruptedException {
    return new RunningProxy(
        config, UplinkChooser.unbound(), List.of(), System::currentTimeMillis, null);
  }

  /**
   * A proxy whose clock (epoch ms; its zone is UTC) the test sets, e.g. for access rules' windows.
   */
  public static RunningProxy start(GatewayConfig config, LongSupplier clock)
      throws InterruptedException {
    return new RunningProxy(config, UplinkChooser.unbound(), List.of(), clock, null);
  }

  /**
   * A proxy over a cache the test built (say, a store whose disk fails); the proxy closes it. The
   * config's cache section is not used.
   */
  public static RunningProxy start(GatewayConfig config, HttpCache cache)
      throws InterruptedException {
    return new RunningProxy(
        config, UplinkChooser.unbound(), List.of(), System::currentTimeMillis, cache);
  }

  /**
   * A proxy over a cache the test built, with one event loop: every connection is served by the
   * same thread, so that a test can see one connection's work not hold up another's.
   */
  public static RunningProxy startOnOneEventLoop(GatewayConfig config, HttpCache cache)
      throws InterruptedException {
    return new RunningProxy(
        config, UplinkChooser.unbound(), List.of(), System::currentTimeMillis, cache, 1);
  }

  public static RunningProxy start(
      GatewayConfig config, UplinkChooser uplinks, List<InetSocketAddress> dnsServers)
      throws InterruptedException {
    return new RunningProxy(config, uplinks, dnsServers, System::currentTimeMillis, null);
  }

  /** A proxy with the given uplinks over a cache the test built; the proxy closes it. */
  public static RunningProxy start(GatewayConfig config, UplinkChooser uplinks, HttpCache cache)
      throws InterruptedException {
    return new RunningProxy(config, uplinks, List.of(), System::currentTimeMillis, cache);
  }

  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  /** A JDK HttpClient that uses this proxy for http:// URLs. */
  public HttpClient httpClient() {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(address))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public LinkedBlockingQueue<AccessRecord> records() {
    return records;
  }

  /** The next access-log record, waiting up to 5 s for it. */
  public AccessRecord nextRecord() throws InterruptedException {
    AccessRecord r = records.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no access-log record within 5 s");
    }
    return r;
  }

  public UplinkCounters counters() {
    return counters;
  }

  /** The proxy's cache, or null when its config has none. */
  public HttpCache cache() {
    return cache;
  }

  /** The access rules and limits in force, their counters and buckets. */
  public Policies policies() {
    return policies;
  }

  /** What a reload does: the rules and limits of {@code config} from now on. */
  public void reload(GatewayConfig config) {
    policies.swap(Policy.of(config));
  }

  /**
   * The proxy's loop guard: a test registers another listener of "the gateway" with it (the
   * admin's).
   */
  public LoopGuard loopGuard() {
    return loopGuard;
  }

  public ProxyServer server() {
    return server;
  }

  /**
   * What the proxy's handlers share: another listener of "the gateway" (the transparent one) is
   * built on it.
   */
  public ProxyContext context() {
    return context;
  }

  /** The proxy's sockets: epoll, or NIO under {@code -Dgateway.test.transport=nio}. */
  public Transport transport() {
    return transport;
  }

  /** The proxy's event loops. */
  public EventLoopGroup group() {
    return group;
  }

  @Override
  public void close() throws InterruptedException {
    server.drain(Duration.ofSeconds(2));
    router.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    if (cache != null) {
      cache.close();
    }
  }
}
