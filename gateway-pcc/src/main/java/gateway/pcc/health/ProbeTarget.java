package gateway.pcc.health;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A probe target, parsed from its {@code health.targets} string. {@link #text()} is the string as
 * configured; it names the target in results and log lines.
 *
 * <ul>
 *   <li>{@code tcp://host:port}: a TCP connect.
 *   <li>{@code http://host[:port]/path[#status]}: a plain-HTTP GET; passes on 2xx or 3xx, or exactly on
 *       {@code status} when a fragment gives one (e.g. {@code http://198.18.100.1/generate_204#204}).
 *   <li>{@code dns://ip[:port]/name}: a UDP query for the A record of {@code name}.
 *   <li>{@code icmp://ip}: one echo request, through the system's {@code ping}.
 * </ul>
 *
 * Hosts of {@code tcp} and {@code http} targets may be names; IP literals are better (see {@link
 * Probe}).
 */
public sealed interface ProbeTarget {

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

  /** Parses a target string; throws {@link IllegalArgumentException} saying what is wrong. */
  static ProbeTarget parse(String text) {
    Objects.requireNonNull(text, "text");
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("'" + text + "': no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int port = uri.getPort();
    switch (scheme) {
      case "tcp" -> {
        if (port < 1) {
          throw new IllegalArgumentException("'" + text + "': a tcp probe needs a port");
        }
        return new Tcp(text, host, port);
      }
      case "http" -> {
        OptionalInt status = OptionalInt.empty();
        if (uri.getFragment() != null) {
          try {
            int s = Integer.parseInt(uri.getFragment());
            if (s < 100 || s > 599) {
              throw new NumberFormatException();
            }
            status = OptionalInt.of(s);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "'" + text + "': the fragment, if any, is the expected status (100..599)");
          }
        }
        String target = path.isEmpty() ? "/" : path;
        if (uri.getRawQuery() != null) {
          target += "?" + uri.getRawQuery();
        }
        return new Http(text, host, port < 0 ? 80 : port, target, status);
      }
      case "dns" -> {
        String name = path.length() > 1 ? path.substring(1) : "";
        if (name.isEmpty()) {
          throw new IllegalArgumentException("'" + text + "': a dns probe needs a name to ask for");
        }
        return new Dns(text, host, port < 0 ? 53 : port, name);
      }
      case "icmp" -> {
        return new Icmp(text, host);
      }
      default -> throw new IllegalArgumentException("'" + text + "': unknown probe scheme '"
          + scheme + "' (tcp, http, dns, icmp)");
    }
  }
}
