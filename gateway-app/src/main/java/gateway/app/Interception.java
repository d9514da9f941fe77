package gateway.app;

import gateway.app.firewall.Firewall;
import gateway.app.firewall.FirewallRules;
import gateway.core.config.FirewallMode;
import gateway.core.config.GatewayConfig;
import gateway.core.config.TransparentConfig;
import gateway.proxy.intercept.InterceptSettings;
import gateway.proxy.intercept.TransparentServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Transparent interception's part of a gateway's life: the {@code IP_TRANSPARENT} listener and the
 * firewall that sends the LAN's new TCP connections to it. The listener comes first and the
 * firewall after it (a rule with no listener would only fall back to routing); on stop the firewall
 * goes first, so that new connections are routed by the kernel while the listener drains. With
 * {@code firewall = manual} nothing is installed: the admin loads what {@code gateway firewall}
 * prints.
 */
final class Interception {
  private static final Logger log = Gateway.LOG;

  private final Wiring parts;
  private final Firewall firewall;

  /** The listener while interception is on; null when off. */
  private TransparentServer server;

  /** The rules installed by this process; null when none. */
  private FirewallRules installed;

  Interception(Wiring parts, Firewall firewall) {
    this.parts = parts;
    this.firewall = firewall;
  }

  /**
   * Starts the listener and installs the firewall when {@code config} (with {@code clients.allow}
   * as served, its default filled in) turns interception on.
   */
  synchronized void start(GatewayConfig config) throws IOException, InterruptedException {
    if (!config.transparent().enabled()) {
      return;
    }
    server = newServer(config.transparent());
    InetSocketAddress bound = server.start(config.transparent().listenPort());
    log.info("intercepting the LAN's TCP on {}", bound);
    install(config);
  }

  /**
   * Applies a reload ({@code next} with {@code clients.allow} as served): a flip of {@code
   * transparent.enabled} starts or stops interception; while it stays on, the firewall is replaced
   * when its rules changed (clients.allow, ports, block-quic). Throws when the firewall cannot be
   * changed: the rules in force then stay.
   */
  synchronized void reload(GatewayConfig next, Duration drain)
      throws IOException, InterruptedException {
    boolean on = next.transparent().enabled();
    if (on && server == null) {
      start(next);
      return;
    }
    if (!on && server != null) {
      stop(drain);
      return;
    }
    if (!on) {
      return;
    }
    if (next.firewall() == FirewallMode.MANUAL) {
      if (installed != null) {
        firewall.remove();
        installed = null;
        log.info("firewall = manual: the gateway's rules are removed; {}", manualHint(next));
      }
      return;
    }
    FirewallRules rules = FirewallRules.of(next);
    if (!Objects.equals(rules, installed)) {
      firewall.replace(rules);
      installed = rules;
    }
  }

  /** Removes the firewall (first: new connections are routed by the kernel), then drains. */
  synchronized int stop(Duration drain) throws InterruptedException {
    removeFirewall();
    if (server == null) {
      return 0;
    }
    int forced = server.drain(drain);
    server = null;
    return forced;
  }

  /** Removes the firewall if this process installed it; logs what fails (on the way down). */
  synchronized void removeFirewall() {
    if (installed == null) {
      return;
    }
    try {
      firewall.remove();
    } catch (IOException e) {
      log.error("{}", e.getMessage());
    }
    installed = null;
  }

  private void install(GatewayConfig config) throws IOException {
    if (config.firewall() == FirewallMode.MANUAL) {
      log.info("firewall = manual: no rules installed; {}", manualHint(config));
      return;
    }
    FirewallRules rules = FirewallRules.of(config);
    firewall.install(rules);
    installed = rules;
  }

  private static String manualHint(GatewayConfig config) {
    return "'gateway firewall --config " + config.source() + "' prints the ruleset to load";
  }

  private TransparentServer newServer(TransparentConfig t) {
    return new TransparentServer(
        parts.proxyContext,
        parts.transport,
        parts.group,
        parts.proxy.clientConnections(),
        new InterceptSettings(t.sniTimeout(), t.sniMax()));
  }
}
