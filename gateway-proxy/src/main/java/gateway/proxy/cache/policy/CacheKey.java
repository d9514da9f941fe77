package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;

/**
 * The primary cache key (RFC 9111 2): the target URI, {@code http://host[:port]/path?query}, host
 * in lower case without a trailing dot, port 80 left out, an empty path made {@code /} (RFC 9110
 * 4.2.3: those spellings name one origin and one request-target).
 *
 * <p>The path and query are kept exactly as the client wrote them, which is what the origin is
 * sent: {@code /x%61bc} and {@code /xabc}, or {@code %2f} and {@code %2F}, are equivalent by RFC
 * 3986 6.2.2 but reach the origin as different request-targets, and an origin may answer them
 * differently. Keying them together would hand one spelling's response to the other; keying them
 * apart costs at most a second copy (Squid keys them apart too).
 *
 * <p>The method is not part of the key: GET stores, and HEAD is answered from the GET's entry (RFC
 * 9110 9.3.2 lets HEAD be answered from a stored GET).
 */
public final class CacheKey {
  private CacheKey() {}

  /**
   * @param host a name or an IP address (an IPv6 literal with or without brackets)
   * @param pathAndQuery the origin-form request target; any fragment is dropped
   */
  public static String of(String host, int port, String pathAndQuery) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    StringBuilder key = new StringBuilder("http://").append(h);
    if (port != 80) {
      key.append(':').append(port);
    }
    int fragment = pathAndQuery.indexOf('#');
    String target = fragment < 0 ? pathAndQuery : pathAndQuery.substring(0, fragment);
    if (!target.startsWith("/")) {
      key.append('/');
    }
    return key.append(target).toString();
  }

  /** Whether a request with this method may be answered from the store (GET, and HEAD from GET). */
  public static boolean lookedUp(HttpMethod method) {
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
  }
}
