package gateway.proxy.upstream;

import gateway.core.net.Cidr;
import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Resolves an origin and classifies the flow (client address and port, origin address and port) to
 * the uplinks it may use: the step between "request accepted" and "connect upstream".
 *
 * <p>Origins on the box's own networks (an intranet server on the LAN, a service on loopback) are
 * not behind any ISP: they are reached directly, with an unbound socket, whatever the uplinks are.
 */
public final class Router implements AutoCloseable {
  private final UplinkChooser chooser;
  // A reload swaps these; a lookup under way finishes with the ones it started with.
  private volatile OriginResolver resolver;
  private volatile List<Cidr> localNetworks;

  /**
   * @param localNetworks destinations reached directly instead of through an uplink
   */
  public Router(OriginResolver resolver, UplinkChooser chooser, List<Cidr> localNetworks) {
    this.resolver = resolver;
    this.chooser = chooser;
    this.localNetworks = List.copyOf(localNetworks);
  }

  /**
   * Swaps in another resolver (a reload changed {@code dns.servers} or an uplink's {@code dns}) and
   * returns the one it replaces, for the caller to close once the lookups under way are done.
   */
  public OriginResolver replaceResolver(OriginResolver next) {
    OriginResolver before = resolver;
    resolver = next;
    return before;
  }

  /**
   * Swaps in the destinations reached directly (the uplinks changed, so did the box's own
   * networks).
   */
  public void localNetworks(List<Cidr> networks) {
    localNetworks = List.copyOf(networks);
  }

  public Future<Route> route(EventLoop loop, InetSocketAddress client, String host, int port) {
    Promise<Route> promise = loop.newPromise();
    resolver
        .resolve(loop, host)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
              }
              InetAddress address = (InetAddress) f.getNow();
              settle(promise, client, host, new InetSocketAddress(address, port));
            });
    return promise;
  }

  /**
   * Routes a connection whose destination address is already known (an intercepted connection: the
   * address the client itself connected to), with no name lookup: the flow goes there and nowhere
   * else. {@code name}, when the connection revealed one (a TLS server name, an HTTP {@code Host}),
   * is what balance pins and the log see; otherwise the address stands for it.
   */
  public Future<Route> routeTo(
      EventLoop loop, InetSocketAddress client, InetSocketAddress destination, String name) {
    Promise<Route> promise = loop.newPromise();
    String host = name != null ? name : destination.getAddress().getHostAddress();
    settle(promise, client, host, destination);
    return promise;
  }

  private void settle(
      Promise<Route> promise, InetSocketAddress client, String host, InetSocketAddress origin) {
    InetAddress address = origin.getAddress();
    if (isLocal(address)) {
      promise.setSuccess(new Route(host, origin, List.of(), true));
      return;
    }
    FlowKey flow = new FlowKey(client.getAddress(), client.getPort(), address, origin.getPort());
    List<Uplink> candidates = chooser.candidates(flow, host);
    if (candidates.isEmpty() && chooser.hasUplinks()) {
      promise.setFailure(new AllUplinksDown());
      return;
    }
    promise.setSuccess(new Route(host, origin, candidates, false));
  }

  private boolean isLocal(InetAddress address) {
    for (Cidr c : localNetworks()) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The destinations reached directly, not through an uplink. */
  public List<Cidr> localNetworks() {
    return localNetworks;
  }

  @Override
  public void close() {
    resolver.close();
  }
}
