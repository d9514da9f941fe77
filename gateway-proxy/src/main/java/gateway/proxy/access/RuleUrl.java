package gateway.proxy.access;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The URL that {@code url-regex} rules see: the request's URL normalised so that a spelling the
 * origin reads as the same resource cannot slip past a rule. The URL sent upstream is not changed.
 *
 * <ul>
 *   <li>Scheme and host in lower case (RFC 3986 6.2.2.1).
 *   <li>Percent-encoded unreserved characters decoded ({@code /%62locked} is {@code /blocked}),
 *       other escapes with upper-case hex (RFC 3986 6.2.2.1, 6.2.2.2).
 *   <li>In the path, an encoded {@code /} ({@code %2F}) is decoded too: RFC 3986 keeps it apart
 *       from {@code /}, but many servers and frameworks decode it before routing, and a rule on
 *       {@code /a/b} must not be passed by {@code /a%2Fb}. Matching the more decoded form can only
 *       make a deny rule match more, never less.
 *   <li>Dot segments removed from the path (RFC 3986 6.2.2.3, 5.2.4), after decoding: {@code
 *       /x/../blocked} and {@code /x/%2E%2E/blocked} are {@code /blocked}.
 *   <li>An invalid escape ({@code %zz}, a {@code %} at the end) is kept as written: no decoder
 *       turns it into another character, so it hides nothing.
 * </ul>
 *
 * Not decoded: {@code %25} (one decoding only: {@code %2562} stays {@code %2562}, as RFC 3986 2.4
 * asks) and the other reserved characters ({@code ?}, {@code #}, {@code &}, {@code =}, ...), whose
 * encoded and plain forms mean different things.
 */
final class RuleUrl {
  private RuleUrl() {}

  /**
   * Normalises {@code url} ({@code scheme://authority/path?query}); other shapes are returned as
   * is.
   */
  static String normalise(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) {
      return url;
    }
    int pathStart = schemeEnd + 3;
    while (pathStart < url.length() && "/?#".indexOf(url.charAt(pathStart)) < 0) {
      pathStart++;
    }
    int queryStart = url.indexOf('?', pathStart);
    String path = queryStart < 0 ? url.substring(pathStart) : url.substring(pathStart, queryStart);
    String query = queryStart < 0 ? "" : url.substring(queryStart);
    return url.substring(0, pathStart).toLowerCase(Locale.ROOT)
        + removeDotSegments(decode(path, true))
        + decode(query, false);
  }

  private static String decode(String s, boolean slash) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (lo < 0) {
        out.append(c);
        continue;
      }
      char decoded = (char) (hi * 16 + lo);
      if (unreserved(decoded) || (slash && decoded == '/')) {
        out.append(decoded);
      } else {
        out.append('%')
            .append(Character.toUpperCase(s.charAt(i + 1)))
            .append(Character.toUpperCase(s.charAt(i + 2)));
      }
      i += 2;
    }
    return out.toString();
  }

  /** RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /** RFC 3986 5.2.4, on an absolute path (or an empty one). */
  static String removeDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    Deque<String> out = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    // segments[0] is the empty string before the leading slash.
    for (int i = 1; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (seg.equals(".") || seg.equals("..")) {
        if (seg.equals("..") && !out.isEmpty()) {
          out.removeLast();
        }
        if (last) {
          out.addLast("");
        }
      } else {
        out.addLast(seg);
      }
    }
    return "/" + String.join("/", out);
  }
}
