package gateway.proxy.admission;

import gateway.core.net.HostLiteral;
import gateway.proxy.message.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A request on an intercepted connection (transparent mode): the client connected to an origin's
 * address itself, never told of a proxy, so it sends what an origin gets (RFC 9112 3.2.1: an
 * origin-form target and {@code Host}). The request goes to the address the client connected to and
 * nowhere else; its {@code Host} only names it, for the access rules, the log and the cache. How
 * far that name is trusted is the {@link HostCheck}: a client must not be able to store a response
 * from a server of its own under another site's URL in the shared cache.
 */
public final class InterceptedRequest {

  /** How far a request's {@code Host} is trusted for the shared cache. */
  public enum HostCheck {
    /** {@code Host} is the destination's own address and port: cached under it. */
    DESTINATION,
    /**
     * {@code Host} is a name, at the destination's port: cached under it only once the name is seen
     * to resolve (through the gateway's own resolver) to a set that holds the destination address
     * (Squid's {@code host_verify_strict}); else forwarded and not cached.
     */
    RESOLVE,
    /** {@code Host} names another port than the one connected to: forwarded, never cached. */
    NONE
  }

  private InterceptedRequest() {}

  /**
   * The target of an intercepted request, whose head passed the other checks: origin-form with the
   * {@code Host} (its port defaults to the destination's), or the destination's own address when an
   * HTTP/1.0 client sent no {@code Host}. CONNECT, absolute-form and asterisk-form are refused: a
   * client that set no proxy has no reason to send them, and their authority could name another
   * host than the one connected to. A {@code Host} that is an IP literal must be the destination.
   */
  static RequestCheck.Verdict target(HttpRequest req, InetSocketAddress destination) {
    String where = destinationText(destination);
    if (req.method().equals(HttpMethod.CONNECT)) {
      return reject(
          "CONNECT on an intercepted connection to "
              + where
              + ": this connection was made to that server, not to a proxy");
    }
    String uri = req.uri();
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      return reject(
          "request target '"
              + shorten(uri)
              + "' on an intercepted connection to "
              + where
              + ": only origin-form (/path) with a Host header is forwarded; a client that uses"
              + " the gateway as its proxy connects to the proxy port instead");
    }
    String host = req.headers().get(HttpHeaderNames.HOST);
    RequestTarget target;
    try {
      target =
          RequestTarget.originForm(
              uri,
              host != null ? host : bracketed(destinationHost(destination)),
              destination.getPort());
    } catch (RequestTarget.Invalid e) {
      return reject(e.getMessage());
    }
    if (HostLiteral.address(target.host()).isPresent() && hostCheck(target, destination) == null) {
      // An address literal cannot disagree with the connection by way of DNS (a CDN, a stale
      // cache): only by mistake or on purpose. Refused rather than sent where the URL does not say.
      return reject(
          "Host "
              + target.hostHeader(destination.getPort())
              + " is not the address this connection was made to ("
              + where
              + ")");
    }
    return new RequestCheck.Forward(target, false);
  }

  /**
   * How far {@code target}'s host is trusted for the cache; null for an address literal that is not
   * the destination (refused by {@link #target}).
   */
  public static HostCheck hostCheck(RequestTarget target, InetSocketAddress destination) {
    boolean samePort = target.port() == destination.getPort();
    if (HostLiteral.address(target.host()).isPresent()) {
      return samePort && target.host().equals(destinationHost(destination))
          ? HostCheck.DESTINATION
          : null;
    }
    return samePort ? HostCheck.RESOLVE : HostCheck.NONE;
  }

  /** Whether a name that resolved to {@code addresses} may be cached for {@code destination}. */
  public static boolean resolvesTo(List<InetAddress> addresses, InetSocketAddress destination) {
    return addresses.contains(destination.getAddress());
  }

  /** The destination's address in its one canonical spelling (RFC 5952 for IPv6). */
  private static String destinationHost(InetSocketAddress destination) {
    String text = destination.getAddress().getHostAddress();
    return HostLiteral.read(text) instanceof HostLiteral.Address a ? a.canonical() : text;
  }

  private static String destinationText(InetSocketAddress destination) {
    return bracketed(destinationHost(destination)) + ":" + destination.getPort();
  }

  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static RequestCheck.Reject reject(String reason) {
    return new RequestCheck.Reject(HttpResponseStatus.BAD_REQUEST, reason, false);
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
