package gateway.proxy.intercept;

import gateway.core.metrics.Refusal;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.tunnel.TunnelLog;
import gateway.proxy.tunnel.TunnelSplice;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.Route;
import gateway.proxy.upstream.UpstreamFailure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Carries an intercepted connection to where it was going: the access rules (on the server name the
 * client sent, or the address, and on the destination's address), the route to that fixed address
 * (no DNS; the name, if known, for {@code balance.pin}), the connect that races the next uplink
 * when one stalls, and the tunnel. The bytes already read from the client go upstream first: the
 * handler that holds them is the one the relay replaces.
 *
 * <p>Refused or unreachable, the client's connection is reset and one line logged (see {@link
 * InterceptLog}); a tunnel logs its {@code TCP_TUNNEL/200} line when it closes, as a CONNECT does.
 * {@code connect-ports} does not apply: which ports are intercepted is the firewall's choice.
 */
final class InterceptedTunnel {
  private final ProxyContext proxy;
  private final ChannelHandlerContext owner;
  private final InetSocketAddress destination;
  private final long start;

  /**
   * @param owner the context of the handler that holds the client's first bytes
   * @param destination where the client was going (the intercepted socket's local address)
   * @param start when the connection was accepted (epoch ms)
   */
  InterceptedTunnel(
      ProxyContext proxy, ChannelHandlerContext owner, InetSocketAddress destination, long start) {
    this.proxy = proxy;
    this.owner = owner;
    this.destination = destination;
    this.start = start;
  }

  /** Goes on to the destination; {@code name} is the server name read (SNI), or null. */
  void start(String name) {
    String host = name != null ? name : destination.getAddress().getHostAddress();
    String url = InterceptLog.url(host, destination.getPort());
    Channel client = owner.channel();
    InetSocketAddress remote = (InetSocketAddress) client.remoteAddress();
    if (!proxy.access().isEmpty()) {
      AccessRules.Decision d = proxy.policies().decide(request(host), proxy.localTime(start));
      // A redirect cannot be given inside a tunnel: refused like a deny.
      String rule =
          d instanceof AccessRules.Deny deny
              ? deny.rule()
              : d instanceof AccessRules.Redirect r ? r.rule() : null;
      if (rule != null) {
        InterceptLog.denied(proxy, client, start, url, 403, Refusal.ACCESS_RULE, rule);
        return;
      }
    }
    proxy
        .router()
        .routeTo(client.eventLoop(), remote, destination, name)
        .addListener(f -> routed(f, host, url));
  }

  /**
   * Goes on by address after the client's TLS hello could not be read (it did not come whole within
   * {@code sni-timeout}, or was larger than {@code sni-max}): unless a rule on names could deny
   * this client's connection. A name that is not known cannot be let past such a rule, so the
   * connection is refused, naming that rule.
   */
  void startUnnamed() {
    if (!proxy.access().isEmpty()) {
      String ip = destination.getAddress().getHostAddress();
      Optional<AccessRules.Deny> deny =
          proxy.policies().denyForUnknownName(request(ip), proxy.localTime(start));
      if (deny.isPresent()) {
        InterceptLog.denied(
            proxy,
            owner.channel(),
            start,
            InterceptLog.url(ip, destination.getPort()),
            403,
            Refusal.ACCESS_RULE,
            deny.get().rule());
        return;
      }
    }
    start(null);
  }

  private AccessRules.Request request(String host) {
    InetSocketAddress remote = (InetSocketAddress) owner.channel().remoteAddress();
    return new AccessRules.Request(
        remote.getAddress(),
        "CONNECT",
        host,
        destination.getPort(),
        true,
        null,
        destination.getAddress());
  }

  private void routed(Future<?> f, String host, String url) {
    Channel client = owner.channel();
    if (!client.isActive()) {
      return;
    }
    if (!f.isSuccess()) {
      failed(f.cause(), host, url, null);
      return;
    }
    Route route = (Route) f.getNow();
    long idle = proxy.config().timeouts().idle().toMillis();
    proxy
        .connector()
        .connect(client.eventLoop(), route, uplink -> TunnelSplice.upstreamHandlers(idle))
        .addListener(
            c -> {
              if (!c.isSuccess()) {
                failed(c.cause(), host, url, route.uplinkName());
                return;
              }
              Connection conn = (Connection) c.getNow();
              if (!client.isActive()) {
                conn.channel().close();
                return;
              }
              TunnelLog log =
                  new TunnelLog(
                      proxy.accessLog(),
                      proxy.clock(),
                      start,
                      InterceptLog.address(client),
                      url,
                      conn.uplinkName());
              TunnelSplice.start(owner, conn.channel(), conn.uplinkName(), log);
            });
  }

  private void failed(Throwable cause, String host, String url, String uplink) {
    UpstreamFailure why = UpstreamFailure.of(cause, host, url);
    InterceptLog.failed(proxy, owner.channel(), start, url, why.status().code(), uplink);
  }
}
