package gateway.proxy.message;

import gateway.core.net.HostLiteral;
import gateway.core.net.HostPort;
import java.util.Locale;

/**
 * Where a proxy request goes, taken from its request target (RFC 9112 3.2): absolute-form {@code
 * http://host[:port]/path?query} for ordinary requests, authority-form {@code host:port} for
 * CONNECT. Per RFC 9112 3.2.2 the target's authority wins over any Host header.
 *
 * @param host lower-case host name, or an IP literal in its one canonical spelling (IPv6 without
 *     brackets, per RFC 5952; IPv4-mapped IPv6 as IPv4): see {@link HostLiteral}
 * @param port explicit or the scheme's default
 * @param path origin-form to send upstream ({@code /path?query}, at least {@code /}); empty for
 *     CONNECT
 */
public record RequestTarget(String host, int port, String path) {

  /** Thrown for a target the proxy cannot use; the message is the reason shown to the client. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  public static RequestTarget absolute(String uri) throws Invalid {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0) {
      throw new Invalid(
          "request target '"
              + shorten(uri)
              + "' is not an absolute http:// URL;"
              + " set this address as your browser's HTTP proxy");
    }
    String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new Invalid("scheme '" + scheme + "' is not supported (https goes through CONNECT)");
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = uri.substring(authorityStart, authorityEnd);
    if (authority.indexOf('@') >= 0) {
      // RFC 9110 4.2.4: userinfo in an http URI is to be treated as an error.
      throw new Invalid("user information in the URL is not allowed");
    }
    HostPort hp = authority(authority, 80);
    String path = uri.substring(authorityEnd);
    int fragment = path.indexOf('#');
    if (fragment >= 0) {
      path = path.substring(0, fragment);
    }
    if (path.isEmpty() || path.charAt(0) == '?') {
      path = "/" + path;
    }
    return new RequestTarget(hp.host(), hp.port(), path);
  }

  /**
   * An origin-form target ({@code /path?query}, RFC 9112 3.2.1) with the request's {@code Host}
   * field value, as a client that does not know of a proxy sends it: the host and port come from
   * {@code host}, the port defaulting to {@code defaultPort}.
   */
  public static RequestTarget originForm(String path, String host, int defaultPort) throws Invalid {
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new Invalid("request target '" + shorten(path) + "' is not origin-form (/path)");
    }
    HostPort hp;
    try {
      hp = authority(host, defaultPort);
    } catch (Invalid e) {
      throw new Invalid("Host header: " + e.getMessage());
    }
    int fragment = path.indexOf('#');
    return new RequestTarget(
        hp.host(), hp.port(), fragment < 0 ? path : path.substring(0, fragment));
  }

  /** A CONNECT target: {@code host:port}, the port required. */
  public static RequestTarget connect(String uri) throws Invalid {
    HostPort hp = authority(uri, -1);
    return new RequestTarget(hp.host(), hp.port(), "");
  }

  private static HostPort authority(String authority, int defaultPort) throws Invalid {
    HostPort hp;
    try {
      hp = HostPort.parse(authority, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new Invalid("bad host in request target: " + e.getMessage());
    }
    String host = hp.host().toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || hp.port() == 0) {
      throw new Invalid("bad host or port in request target '" + shorten(authority) + "'");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == ':'
              || c == '_';
      if (!ok) {
        throw new Invalid("bad character in host '" + shorten(host) + "'");
      }
    }
    // Rules, the log, the cache and the pool see one spelling per address; a numeric host that
    // parsers
    // read as different addresses (or as a name) is refused rather than guessed.
    HostLiteral.Reading reading = HostLiteral.read(host);
    if (reading instanceof HostLiteral.Ambiguous a) {
      throw new Invalid(
          "bad host in request target: '"
              + shorten(host)
              + "' "
              + a.reason()
              + "; write the address as four decimal numbers, like 192.168.1.1");
    }
    if (reading instanceof HostLiteral.Address a) {
      host = a.canonical();
    }
    return new HostPort(host, hp.port());
  }

  /** The Host header value for this target: the port only when it is not the default. */
  public String hostHeader(int defaultPort) {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == defaultPort ? h : h + ":" + port;
  }

  /** The URL as the access log shows it. */
  public String logUrl(boolean connect) {
    return connect ? hostHeader(-1) : "http://" + hostHeader(80) + path;
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
