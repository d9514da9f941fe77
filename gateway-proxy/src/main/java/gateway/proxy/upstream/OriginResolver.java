package gateway.proxy.upstream;

import gateway.core.net.Cidr;
import gateway.proxy.server.Transport;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an origin host into an address without blocking an event loop: IP literals directly, names
 * through one asynchronous DNS resolver per event loop (the hosts file first, then {@code dns.servers}
 * or the system's resolvers from /etc/resolv.conf).
 *
 * <p>The resolvers use UDP only: Netty's TCP fallback would connect unbound (see PITFALLS.md).
 */
public final class OriginResolver implements AutoCloseable {
  private final Transport transport;
  private final List<InetSocketAddress> servers;
  private final Duration timeout;
  private final Map<EventLoop, DnsNameResolver> resolvers = new ConcurrentHashMap<>();

  public OriginResolver(Transport transport, List<InetSocketAddress> servers, Duration timeout) {
    this.transport = transport;
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
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
    return resolvers.computeIfAbsent(loop, this::newResolver).resolve(host);
  }

  private DnsNameResolver newResolver(EventLoop loop) {
    DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
        .datagramChannelType(transport.datagramChannel())
        .queryTimeoutMillis(timeout.toMillis());
    b.nameServerProvider(servers.isEmpty()
        ? DnsServerAddressStreamProviders.platformDefault()
        : new SequentialDnsServerAddressStreamProvider(servers.toArray(InetSocketAddress[]::new)));
    return b.build();
  }

  @Override
  public void close() {
    resolvers.values().forEach(DnsNameResolver::close);
    resolvers.clear();
  }
}
