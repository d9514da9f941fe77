package gateway.proxy;

import gateway.core.config.GatewayConfig;
import gateway.proxy.log.AccessLog;
import gateway.proxy.server.ClientFilter;
import gateway.proxy.server.LoopGuard;
import gateway.proxy.upstream.Router;
import gateway.proxy.upstream.UpstreamConnector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What every client connection's handlers share: the config and the services built from it. Immutable
 * but for {@code draining}, which turns true once when the gateway is asked to stop.
 *
 * @param clock epoch milliseconds, for the access log
 */
public record ProxyContext(
    GatewayConfig config,
    ClientFilter clients,
    LoopGuard loopGuard,
    Router router,
    UpstreamConnector connector,
    AccessLog accessLog,
    LongSupplier clock,
    AtomicBoolean draining) {

  public boolean isDraining() {
    return draining.get();
  }
}
