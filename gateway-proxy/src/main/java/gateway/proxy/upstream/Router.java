package gateway.proxy.upstream;

import gateway.core.net.Cidr;
import gateway.core.net.FlowKey;
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
 * <p>Origins on the box's own networks (an intranet server on the LAN, a service on loopback) are not
 * behind any ISP: they are reached directly, with an unbound socket, whatever the uplinks are.
 */
public final class Router implements AutoCloseable {
  private final OriginResolver resolver;
  private final UplinkChooser chooser;
  private final List<Cidr> localNetworks;

  /**
   * @param localNetworks destinations reached directly instead of through an uplink
   */
  public Router(OriginResolver resolver, UplinkChooser chooser, List<Cidr> localNetworks) {
    this.resolver = resolver;
    this.chooser = chooser;
    this.localNetworks = List.copyOf(localNetworks);
  }

  public Future<Route> route(EventLoop loop, InetSocketAddress client, String host, int port) {
    Promise<Route> promise = loop.newPromise();
    resolver.resolve(loop, host).addListener(f -> {
      if (!f.isSuccess()) {
        promise.setFailure(f.cause());
        return;
      }
      InetAddress address = (InetAddress) f.getNow();
      InetSocketAddress origin = new InetSocketAddress(address, port);
      if (isLocal(address)) {
        promise.setSuccess(new Route(host, origin, List.of(), true));
        return;
      }
      FlowKey flow = new FlowKey(client.getAddress(), client.getPort(), address, port);
      List<gateway.core.net.Uplink> candidates = chooser.candidates(flow, host);
      if (candidates.isEmpty() && chooser.hasUplinks()) {
        promise.setFailure(new AllUplinksDown());
        return;
      }
      promise.setSuccess(new Route(host, origin, candidates, false));
    });
    return promise;
  }

  private boolean isLocal(InetAddress address) {
    for (Cidr c : localNetworks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    resolver.close();
  }
}
