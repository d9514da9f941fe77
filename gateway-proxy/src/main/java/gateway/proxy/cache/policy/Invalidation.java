package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which stored URLs an unsafe request makes stale (RFC 9111 4.4): after a non-error response (2xx,
 * 3xx) to a method not known to be safe, the target URI, and the URIs in Location and
 * Content-Location when they have the target's origin (same scheme, host and port).
 */
public final class Invalidation {

  /** RFC 9110 9.2.1: the methods known to be safe; any other, unknown ones too, invalidates. */
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private Invalidation() {}

  /**
   * The URLs ({@link CacheKey#of} form) whose stored responses are to be removed, every variant
   * ({@link gateway.proxy.cache.store.CacheStore#removeUrl}); empty when there are none. Location
   * and Content-Location may be absolute or relative to the target; unreadable ones are skipped.
   */
  public static List<String> urlsToRemove(
      HttpMethod method,
      String host,
      int port,
      String pathAndQuery,
      int status,
      HttpHeaders response) {
    if (SAFE.contains(method) || status < 200 || status >= 400) {
      return List.of();
    }
    String target = CacheKey.of(host, port, pathAndQuery);
    List<String> urls = new ArrayList<>(List.of(target));
    for (CharSequence field : List.of(HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION)) {
      String value = response.get(field);
      String url = value == null ? null : sameOriginUrl(target, value.trim());
      if (url != null && !urls.contains(url)) {
        urls.add(url);
      }
    }
    return List.copyOf(urls);
  }

  /** {@code reference} resolved against {@code target} when it has the same origin, else null. */
  private static String sameOriginUrl(String target, String reference) {
    try {
      URI base = new URI(target);
      URI resolved = base.resolve(new URI(reference));
      if (resolved.getScheme() == null
          || !resolved.getScheme().equalsIgnoreCase("http")
          || resolved.getHost() == null) {
        return null;
      }
      String path = resolved.getRawPath() == null ? "" : resolved.getRawPath();
      String query = resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery();
      int port = resolved.getPort() < 0 ? 80 : resolved.getPort();
      String url = CacheKey.of(hostOf(resolved), port, path + query);
      return sameOrigin(url, target) ? url : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null; // a target or field we cannot parse invalidates nothing more
    }
  }

  private static String hostOf(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** Both are normalised {@link CacheKey} URLs: the origin is everything before the path. */
  private static boolean sameOrigin(String a, String b) {
    return originOf(a).equals(originOf(b));
  }

  private static String originOf(String url) {
    int path = url.indexOf('/', "http://".length());
    return path < 0 ? url : url.substring(0, path);
  }
}
