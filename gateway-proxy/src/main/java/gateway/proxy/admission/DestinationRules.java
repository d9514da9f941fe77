package gateway.proxy.admission;

import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.message.RequestTarget;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Access rules on the origin's address ({@code destinations}), checked after DNS and before
 * connecting, for plain HTTP and CONNECT alike: the address checked is the one about to be
 * connected, so neither another spelling of it nor a name that resolves to it passes. The decision
 * is {@link AccessRules#decideAtDestination}'s; this only asks.
 */
public final class DestinationRules {
  private DestinationRules() {}

  /**
   * The destination rule that denies connecting the request to {@code origin}, if any.
   *
   * @param start when the request came (epoch ms): the rules' time windows are checked at that time
   */
  public static Optional<AccessRules.Deny> refusal(
      ProxyContext proxy,
      InetAddress client,
      HttpRequest request,
      RequestTarget target,
      boolean connect,
      InetAddress origin,
      long start) {
    if (!proxy.access().hasDestinationRules()) {
      return Optional.empty();
    }
    return proxy
        .policies()
        .decideAtDestination(
            accessRequest(client, request, target, connect).at(origin), proxy.localTime(start));
  }

  /** What the access rules see of a request, its origin's address not known yet. */
  static AccessRules.Request accessRequest(
      InetAddress client, HttpRequest request, RequestTarget target, boolean connect) {
    return new AccessRules.Request(
        client,
        request.method().name(),
        target.host(),
        target.port(),
        connect,
        connect ? null : target.logUrl(false));
  }

  /** The words of the 403 page. */
  public static String why(RequestTarget target, InetAddress origin, String rule) {
    return target.host()
        + " ("
        + origin.getHostAddress()
        + ") is blocked by the office's access rule '"
        + rule
        + "'";
  }
}
