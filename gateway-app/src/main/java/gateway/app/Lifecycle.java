package gateway.app;

import gateway.app.admin.AdminServer;
import gateway.app.admin.AdminSources;
import gateway.core.config.GatewayConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Starts a gateway's wired parts (binds the proxy and admin listeners, starts probing) and ends
 * them: {@link #stop} drains the connections in flight, {@link #close} closes every part in order.
 * A start that fails closes what it had opened.
 */
final class Lifecycle implements AutoCloseable {
  private static final Logger log = Gateway.LOG;

  private final Wiring parts;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private InetSocketAddress proxyAddress;
  private AdminServer admin;

  private Lifecycle(Wiring parts) {
    this.parts = parts;
  }

  /**
   * Binds the listeners and starts probing; throws when a socket cannot be bound.
   *
   * @param adminSources what the admin listener shows, given where the proxy listens
   */
  static Lifecycle start(
      Wiring parts, GatewayConfig config, Function<InetSocketAddress, AdminSources> adminSources)
      throws InterruptedException {
    Lifecycle l = new Lifecycle(parts);
    try {
      l.proxyAddress = parts.proxy.start(Wiring.socket(config.listen()));
      l.admin =
          AdminServer.start(
              Wiring.socket(config.adminListen()),
              adminSources.apply(l.proxyAddress),
              config.admin().token(),
              parts.transport);
      parts.health.start();
    } catch (RuntimeException | InterruptedException e) {
      l.close();
      throw e;
    }
    return l;
  }

  /** Where the proxy listens (the bound port). */
  InetSocketAddress proxyAddress() {
    return proxyAddress;
  }

  AdminServer admin() {
    return admin;
  }

  /**
   * Stops accepting, lets requests and tunnels in flight finish up to {@code drain}, then closes.
   */
  void stop(Duration drain) throws InterruptedException {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    log.info("stopping: draining connections for up to {} s", drain.toSeconds());
    int forced = parts.proxy.drain(drain);
    close();
    log.info("stopped ({} connections closed at the deadline)", forced);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    parts.health.stop().awaitUninterruptibly(2, TimeUnit.SECONDS);
    parts.router.close();
    parts
        .group
        .shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    parts.accessLog.close();
    if (parts.cache != null) {
      parts.cache.close();
    }
  }
}
