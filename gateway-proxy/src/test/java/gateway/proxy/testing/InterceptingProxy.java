package gateway.proxy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.core.config.GatewayConfig;
import gateway.proxy.intercept.InterceptSettings;
import gateway.proxy.intercept.TransparentServer;
import gateway.proxy.upstream.UplinkChooser;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A {@link RunningProxy} with a transparent listener beside it on loopback, sharing its context and
 * its per-client connection counts. No root: the listener has no IP_TRANSPARENT, and the test says
 * where its connections were going ({@link #goingTo}), as TPROXY would. Skips the test (with a
 * message) where epoll is not available.
 */
public final class InterceptingProxy implements AutoCloseable {
  private final RunningProxy proxy;
  private final TransparentServer server;
  private final InetSocketAddress address;
  private volatile InetSocketAddress destination;

  private InterceptingProxy(RunningProxy proxy, InterceptSettings settings)
      throws InterruptedException {
    this.proxy = proxy;
    server =
        TransparentServer.withoutTproxy(
            proxy.context(),
            proxy.transport(),
            proxy.group(),
            proxy.server().clientConnections(),
            settings,
            ch -> destination);
    InetSocketAddress bound = server.start(0);
    address = new InetSocketAddress("127.0.0.1", bound.getPort());
  }

  public static InterceptingProxy start(
      GatewayConfig config, UplinkChooser uplinks, InterceptSettings settings)
      throws InterruptedException {
    assumeTrue(
        Epoll.isAvailable() && !"nio".equals(System.getProperty("gateway.test.transport")),
        "transparent interception needs Linux epoll, not available here");
    return new InterceptingProxy(RunningProxy.start(config, uplinks, List.of()), settings);
  }

  /** The connections accepted from now on were going to {@code original}. */
  public InterceptingProxy goingTo(InetSocketAddress original) {
    destination = original;
    return this;
  }

  /** Where a test client connects: the transparent listener on 127.0.0.1. */
  public InetSocketAddress address() {
    return address;
  }

  public RunningProxy proxy() {
    return proxy;
  }

  public TransparentServer server() {
    return server;
  }

  @Override
  public void close() throws InterruptedException {
    server.drain(Duration.ofSeconds(2));
    proxy.close();
  }
}
