package gateway.app;

import gateway.app.admin.AdminServer;
import gateway.app.admin.AdminSources;
import gateway.app.firewall.CommandRunner;
import gateway.app.firewall.Firewall;
import gateway.core.config.GatewayConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Starts a gateway's wired parts (binds the proxy and admin listeners, with {@code
 * transparent.enabled} the transparent listener and the firewall, starts probing) and ends them:
 * {@link #stop} removes the firewall and drains the connections in flight, {@link #close} closes
 * every part in order. A start that fails closes what it had opened and removes what it installed.
 */
final class Lifecycle implements AutoCloseable {
  private static final Logger log = Gateway.LOG;

  private final Wiring parts;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private InetSocketAddress proxyAddress;
  private AdminServer admin;
  private Interception interception;

  private Lifecycle(Wiring parts) {
    this.parts = parts;
  }

  /**
   * Binds the listeners, installs the firewall and starts probing; throws when a socket cannot be
   * bound or the firewall cannot be installed.
   *
   * @param adminSources what the admin listener shows, given where the proxy listens
   */
  static Lifecycle start(
      Wiring parts, GatewayConfig config, Function<InetSocketAddress, AdminSources> adminSources)
      throws IOException, InterruptedException {
    Lifecycle l = new Lifecycle(parts);
    try {
      l.proxyAddress = parts.proxy.start(Wiring.socket(config.listen()));
      // After the proxy: the transparent listener shares its per-client connection counts.
      l.interception = new Interception(parts, new Firewall(CommandRunner.local()));
      l.interception.start(config.withClientsAllow(parts.clients));
      l.admin =
          AdminServer.start(
              Wiring.socket(config.adminListen()),
              adminSources.apply(l.proxyAddress),
              config.admin().token(),
              parts.transport);
      parts.health.start();
    } catch (IOException | RuntimeException | InterruptedException e) {
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

  Interception interception() {
    return interception;
  }

  /**
   * Removes the firewall (new connections are routed by the kernel from then on), stops accepting,
   * lets requests and tunnels in flight finish up to {@code drain}, then closes.
   */
  void stop(Duration drain) throws InterruptedException {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (interception != null) {
      interception.removeFirewall();
    }
    log.info("stopping: draining connections for up to {} s", drain.toSeconds());
    long until = System.nanoTime() + drain.toNanos();
    int forced = parts.proxy.drain(drain);
    if (interception != null) {
      forced += interception.stop(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
    }
    close();
    log.info("stopped ({} connections closed at the deadline)", forced);
  }

  @Override
  public void close() {
    if (interception != null) {
      // First: rules that outlive the listener would route the LAN around the gateway.
      interception.removeFirewall();
    }
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
