package gateway.proxy.intercept;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.proxy.ProxyContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;

/**
 * The access-log lines of intercepted connections that never became a tunnel, and how such a
 * connection ends. Intercepted lines look like a CONNECT's, as Squid logs the connections it
 * intercepts and splices: method {@code CONNECT}, the URL {@code name:port} or {@code ip:port}:
 *
 * <pre>
 * 1764178488.150      0 192.168.88.10 TCP_DENIED/403 0 CONNECT video.example:443 - HIER_NONE/- - no-video
 * 1764178488.151      0 192.168.88.10 TCP_DENIED/429 0 CONNECT 198.51.100.7:443 - HIER_NONE/- - limits.client-connections
 * 1764178488.152   3001 192.168.88.10 TCP_TUNNEL/504 0 CONNECT 198.51.100.7:443 - HIER_DIRECT/isp1 -
 * </pre>
 *
 * The status is the one the proxy would answer for the same reason (403 a rule or a loop, 429 the
 * connection limit, 502/503/504 an unreachable destination), though nothing is sent: the client's
 * connection is reset.
 */
final class InterceptLog {
  private InterceptLog() {}

  /** Refused before anything went upstream: logged, counted by {@code reason}, reset. */
  static void denied(
      ProxyContext proxy,
      Channel client,
      long start,
      String url,
      int status,
      Refusal reason,
      String rule) {
    proxy.refusals().refused(reason);
    record(proxy, client, start, CacheAction.TCP_DENIED, status, url, null, rule);
    reset(client);
  }

  /** The destination could not be reached through {@code uplink}: logged and reset. */
  static void failed(
      ProxyContext proxy, Channel client, long start, String url, int status, String uplink) {
    record(proxy, client, start, CacheAction.TCP_TUNNEL, status, url, uplink, null);
    reset(client);
  }

  private static void record(
      ProxyContext proxy,
      Channel client,
      long start,
      CacheAction action,
      int status,
      String url,
      String uplink,
      String rule) {
    proxy
        .accessLog()
        .record(
            new AccessRecord(
                start,
                proxy.clock().getAsLong() - start,
                address(client),
                action,
                status,
                0,
                "CONNECT",
                url,
                uplink,
                null,
                rule));
  }

  /**
   * Closes with a reset (SO_LINGER 0): a browser shows its error at once instead of waiting for an
   * answer that never comes.
   */
  static void reset(Channel client) {
    if (client.isOpen()) {
      client.config().setOption(ChannelOption.SO_LINGER, 0);
      client.close();
    }
  }

  static String address(Channel client) {
    return ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  static String url(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
