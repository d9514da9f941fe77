package gateway.proxy.upstream;

import gateway.core.net.FlowKey;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Resolves an origin and classifies the flow (client address and port, origin address and port) to
 * the uplinks it may use: the step between "request accepted" and "connect upstream".
 */
public final class Router implements AutoCloseable {
  private final OriginResolver resolver;
  private final UplinkChooser chooser;

  public Router(OriginResolver resolver, UplinkChooser chooser) {
    this.resolver = resolver;
    this.chooser = chooser;
  }

  public Future<Route> route(EventLoop loop, InetSocketAddress client, String host, int port) {
    Promise<Route> promise = loop.newPromise();
    resolver.resolve(loop, host).addListener(f -> {
      if (!f.isSuccess()) {
        promise.setFailure(f.cause());
        return;
      }
      InetAddress address = (InetAddress) f.getNow();
      FlowKey flow = new FlowKey(client.getAddress(), client.getPort(), address, port);
      promise.setSuccess(
          new Route(host, new InetSocketAddress(address, port), chooser.candidates(flow, host)));
    });
    return promise;
  }

  @Override
  public void close() {
    resolver.close();
  }
}
