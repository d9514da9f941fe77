package gateway.proxy.cache;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;

/**
 * The primary cache key (RFC 9111 2): the target URI, normalised so that equivalent URIs (RFC 9110
 * 4.2.3, RFC 3986 6.2.2) share one entry: {@code http://host[:port]/path?query}, host in lower case
 * without a trailing dot, port 80 left out, an empty path made {@code /}, percent-encodings in upper
 * case and those of unreserved characters decoded.
 *
 * <p>The method is not part of the key: GET stores, and HEAD is answered from the GET's entry (RFC
 * 9110 9.3.2 lets HEAD be answered from a stored GET).
 */
public final class CacheKey {
  private static final String HEX = "0123456789ABCDEF";

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
    return appendNormalisedPercents(key, target).toString();
  }

  /** Whether a request with this method may be answered from the store (GET, and HEAD from GET). */
  public static boolean lookedUp(HttpMethod method) {
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
  }

  private static StringBuilder appendNormalisedPercents(StringBuilder out, String target) {
    int n = target.length();
    for (int i = 0; i < n; i++) {
      char c = target.charAt(i);
      if (c == '%' && i + 2 < n && isHexPair(target.charAt(i + 1), target.charAt(i + 2))) {
        int value = hex(target.charAt(i + 1)) * 16 + hex(target.charAt(i + 2));
        if (isUnreserved(value)) {
          out.append((char) value);
        } else {
          out.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 15));
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out;
  }

  private static boolean isHexPair(char a, char b) {
    return hex(a) >= 0 && hex(b) >= 0;
  }

  /** The value of an ASCII hex digit, else -1 (Character.digit would also take other scripts). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  /** RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
