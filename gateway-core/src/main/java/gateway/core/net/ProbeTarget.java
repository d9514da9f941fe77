package gateway.core.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * A probe target of {@code health.targets} or {@code uplinks[].health-targets}, parsed once when
 * the config is read. {@link #text()} is the string as configured; it names the target in results
 * and log lines.
 *
 * <ul>
 *   <li>{@code tcp://host:port}: a TCP connect.
 *   <li>{@code http://host[:port]/path[#status]}: a plain-HTTP GET; passes on 2xx or 3xx, or
 *       exactly on {@code status} when a fragment gives one (e.g. {@code
 *       http://198.18.100.1/generate_204#204}).
 *   <li>{@code dns://ip[:port]/name}: a UDP query for the A record of {@code name}.
 *   <li>{@code icmp://ip}: one echo request, through the system's {@code ping}.
 * </ul>
 *
 * Hosts of {@code tcp} and {@code http} targets may be names; IP literals are better (a name is
 * resolved through the uplink being judged).
 */
public sealed interface ProbeTarget {

  /** The schemes a target may have. */
  List<String> SCHEMES = List.of("tcp", "http", "dns", "icmp");

  String text();

  /** The host: an IP literal or a name. */
  String host();

  /** A TCP connect to {@code host:port}. */
  record Tcp(String text, String host, int port) implements ProbeTarget {}

  /** {@code GET path} over plain HTTP; {@code expectStatus} empty means any 2xx or 3xx. */
  record Http(String text, String host, int port, String path, OptionalInt expectStatus)
      implements ProbeTarget {}

  /** A UDP DNS query for {@code name}'s A record to the server {@code host:port}. */
  record Dns(String text, String host, int port, String name) implements ProbeTarget {}

  /** One ICMP echo to {@code host}. */
  record Icmp(String text, String host) implements ProbeTarget {}

  /**
   * Parses a target as written; throws {@link IllegalArgumentException} saying what is wrong, e.g.
   * {@code 'tcp://192.0.2.1': a tcp probe needs a port, e.g. tcp://192.0.2.1:53}.
   */
  static ProbeTarget parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL");
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    String problem = problem(uri, scheme);
    if (problem != null) {
      throw new IllegalArgumentException("'" + text + "': " + problem);
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int port = uri.getPort();
    return switch (scheme) {
      case "tcp" -> new Tcp(text, host, port);
      case "http" -> http(text, uri, host, path, port);
      case "dns" -> new Dns(text, host, port < 0 ? 53 : port, path.substring(1));
      default -> new Icmp(text, host);
    };
  }

  /** What is wrong with a target of {@code scheme}, or null. */
  private static String problem(URI uri, String scheme) {
    if (scheme == null || !SCHEMES.contains(scheme)) {
      return (scheme == null ? "no probe scheme" : "unknown probe scheme '" + scheme + "'")
          + " (write tcp://host:port, http://host/path, dns://ip:53/name or icmp://ip)";
    } else if (uri.getHost() == null) {
      return "no host";
    } else if (scheme.equals("tcp") && uri.getPort() < 1) {
      return "a tcp probe needs a port, e.g. tcp://" + uri.getHost() + ":53";
    } else if ((scheme.equals("dns") || scheme.equals("icmp"))
        && Cidr.parseLiteral(uri.getHost()).isEmpty()) {
      return "a " + scheme + " probe needs an IP address, not '" + uri.getHost() + "'";
    } else if (scheme.equals("dns") && (uri.getPath() == null || uri.getPath().length() < 2)) {
      return "a dns probe needs a name to ask for, e.g. dns://" + uri.getHost() + ":53/example.org";
    } else if (scheme.equals("icmp") && uri.getPort() >= 0) {
      return "an icmp probe has no port";
    } else if (scheme.equals("http")
        && uri.getFragment() != null
        && status(uri.getFragment()) < 0) {
      return "the fragment, if any, is the expected status (100..599)";
    }
    return null;
  }

  private static Http http(String text, URI uri, String host, String path, int port) {
    OptionalInt status =
        uri.getFragment() == null ? OptionalInt.empty() : OptionalInt.of(status(uri.getFragment()));
    String target = path.isEmpty() ? "/" : path;
    if (uri.getRawQuery() != null) {
      target += "?" + uri.getRawQuery();
    }
    return new Http(text, host, port < 0 ? 80 : port, target, status);
  }

  /** The status a fragment names (100..599), or -1. */
  private static int status(String fragment) {
    try {
      int s = Integer.parseInt(fragment);
      return s >= 100 && s <= 599 ? s : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
