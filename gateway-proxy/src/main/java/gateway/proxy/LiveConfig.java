package gateway.proxy;

import gateway.core.config.GatewayConfig;
import gateway.proxy.access.ClientFilter;
import java.util.Objects;

/**
 * The config in force and the client filter built from it, swapped whole by a reload. Handlers read
 * it through {@link ProxyContext#config()} and {@link ProxyContext#clients()} when a connection
 * opens or a request arrives, so a reload applies to what starts after it and never to what is
 * under way: a connection keeps the timeouts and limits it was set up with.
 */
public final class LiveConfig {
  /** One consistent pair: a reader never sees the filter of one config with the other config. */
  private record Snapshot(GatewayConfig config, ClientFilter clients) {}

  private volatile Snapshot current;

  public LiveConfig(GatewayConfig config, ClientFilter clients) {
    set(config, clients);
  }

  public GatewayConfig config() {
    return current.config();
  }

  public ClientFilter clients() {
    return current.clients();
  }

  /** Swaps in a reloaded config; new connections and requests see it at once. */
  public void set(GatewayConfig config, ClientFilter clients) {
    current =
        new Snapshot(
            Objects.requireNonNull(config, "config"), Objects.requireNonNull(clients, "clients"));
  }
}
