package gateway.proxy.upstream;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DeviceBinding;
import gateway.proxy.channel.Transport;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStream;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Turns an origin host into an address without blocking an event loop: IP literals directly, names
 * through asynchronous DNS resolvers (the hosts file first, then {@code dns.servers} or the
 * system's resolvers from /etc/resolv.conf), one per event loop and uplink.
 *
 * <p>DNS must keep working when an ISP dies: queries to resolvers beyond the box go out through the
 * first healthy uplink (bound to its address and device, like client traffic), and a query that
 * times out there is asked again through the next healthy uplink. Resolvers on the box's own
 * networks (a local cache on loopback, the office router) are asked directly.
 *
 * <p>The resolvers use UDP only: Netty's TCP fallback would connect unbound (see PITFALLS.md).
 */
public final class OriginResolver implements AutoCloseable {
  private final Transport transport;
  private final List<InetSocketAddress> servers;
  private final Duration timeout;
  private final boolean serversAreLocal;
  private final Supplier<List<Uplink>> healthyUplinks;
  private final Map<String, List<InetSocketAddress>> uplinkServers;
  private final Map<Key, DnsNameResolver> resolvers = new ConcurrentHashMap<>();

  private record Key(EventLoop loop, Uplink uplink) {}

  /**
   * @param servers resolvers to ask; empty: the system's
   * @param localNetworks the box's own networks: resolvers there are asked unbound
   * @param healthyUplinks the uplinks that work now, in preference order (empty: ask unbound)
   * @param uplinkServers per uplink name, its own resolvers (its ISP's), asked instead of {@code
   *     servers}
   */
  public OriginResolver(
      Transport transport,
      List<InetSocketAddress> servers,
      Duration timeout,
      List<Cidr> localNetworks,
      Supplier<List<Uplink>> healthyUplinks,
      Map<String, List<InetSocketAddress>> uplinkServers) {
    this.transport = transport;
    this.uplinkServers = Map.copyOf(uplinkServers);
    this.servers = servers.isEmpty() ? systemServers() : List.copyOf(servers);
    this.timeout = timeout;
    this.healthyUplinks = healthyUplinks;
    this.serversAreLocal =
        !this.servers.isEmpty()
            && this.servers.stream()
                .allMatch(
                    s ->
                        s.getAddress() != null
                            && localNetworks.stream().anyMatch(c -> c.contains(s.getAddress())));
  }

  /** Resolves through resolvers that need no uplink (tests, boxes without uplinks). */
  public OriginResolver(Transport transport, List<InetSocketAddress> servers, Duration timeout) {
    this(transport, servers, timeout, List.of(), List::of, Map.of());
  }

  /** Resolves on (and completes on) {@code loop}. */
  public Future<InetAddress> resolve(EventLoop loop, String host) {
    Optional<byte[]> literal = Cidr.parseLiteral(host);
    if (literal.isPresent()) {
      try {
        return loop.newSucceededFuture(InetAddress.getByAddress(literal.get()));
      } catch (UnknownHostException e) {
        return loop.newFailedFuture(e);
      }
    }
    return ask(loop, host, DnsNameResolver::resolve);
  }

  /**
   * Every address {@code host} resolves to (an IP literal: itself), through the same resolvers and
   * uplinks as {@link #resolve}; completes on {@code loop}.
   */
  public Future<List<InetAddress>> resolveAll(EventLoop loop, String host) {
    Optional<byte[]> literal = Cidr.parseLiteral(host);
    if (literal.isPresent()) {
      try {
        return loop.newSucceededFuture(List.of(InetAddress.getByAddress(literal.get())));
      } catch (UnknownHostException e) {
        return loop.newFailedFuture(e);
      }
    }
    return ask(loop, host, DnsNameResolver::resolveAll);
  }

  private <T> Future<T> ask(
      EventLoop loop, String host, BiFunction<DnsNameResolver, String, Future<T>> query) {
    // Through an uplink go the queries to resolvers beyond the box: the uplink's own, or shared
    // ones
    // that are not on the box's networks.
    List<Uplink> uplinks =
        healthyUplinks.get().stream()
            .filter(u -> !serversAreLocal || uplinkServers.containsKey(u.name()))
            .toList();
    if (uplinks.isEmpty()) {
      return query.apply(resolver(loop, null), host);
    }
    Promise<T> result = loop.newPromise();
    resolveThrough(loop, host, query, uplinks, 0, result);
    return result;
  }

  private <T> void resolveThrough(
      EventLoop loop,
      String host,
      BiFunction<DnsNameResolver, String, Future<T>> query,
      List<Uplink> uplinks,
      int index,
      Promise<T> result) {
    Future<T> answer = query.apply(resolver(loop, uplinks.get(index)), host);
    answer.addListener(
        f -> {
          if (f.isSuccess()) {
            result.setSuccess(answer.getNow());
          } else if (timedOut(f.cause()) && index + 1 < uplinks.size()) {
            // No answer through this uplink: its path may be dead before the probes noticed.
            resolveThrough(loop, host, query, uplinks, index + 1, result);
          } else {
            result.setFailure(f.cause());
          }
        });
  }

  private static boolean timedOut(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DnsNameResolverTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private DnsNameResolver resolver(EventLoop loop, Uplink uplink) {
    return resolvers.computeIfAbsent(new Key(loop, uplink), k -> newResolver(loop, uplink));
  }

  private DnsNameResolver newResolver(EventLoop loop, Uplink uplink) {
    List<InetSocketAddress> asked =
        uplink == null ? servers : uplinkServers.getOrDefault(uplink.name(), servers);
    DnsNameResolverBuilder b =
        new DnsNameResolverBuilder(loop)
            .queryTimeoutMillis(timeout.toMillis())
            .nameServerProvider(
                new SequentialDnsServerAddressStreamProvider(
                    asked.toArray(InetSocketAddress[]::new)));
    ChannelFactory<? extends DatagramChannel> plain =
        new ReflectiveChannelFactory<>(transport.datagramChannel());
    if (uplink == null) {
      return b.datagramChannelFactory(plain).build();
    }
    b.localAddress(new InetSocketAddress(uplink.address(), 0));
    if (uplink.interfaceName().isPresent() && transport.isEpoll()) {
      String device = uplink.interfaceName().get();
      b.datagramChannelFactory(
          () -> {
            DatagramChannel ch = plain.newChannel();
            DeviceBinding.apply(ch, device);
            return ch;
          });
    } else {
      b.datagramChannelFactory(plain);
    }
    return b.build();
  }

  private static List<InetSocketAddress> systemServers() {
    DnsServerAddressStream stream =
        DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream("");
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < stream.size(); i++) {
      InetSocketAddress a = stream.next();
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  @Override
  public void close() {
    resolvers.values().forEach(DnsNameResolver::close);
    resolvers.clear();
  }
}
