package gateway.core.config;

import com.typesafe.config.ConfigValue;
import gateway.core.net.Cidr;
import gateway.core.net.HostLiteral;
import gateway.core.net.HostPort;
import gateway.core.net.ProbeTarget;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Readers of network values: IP addresses, CIDRs, {@code ip:port}, domain patterns, probe targets
 * and URLs. Nothing here is resolved through DNS.
 */
final class NetReaders {
  private final Problems problems;
  private final ValueReaders values;

  NetReaders(Problems problems, ValueReaders values) {
    this.problems = problems;
    this.values = values;
  }

  HostPort listenAddress(ConfigValue value, String path) {
    return hostPort(value, path, -1);
  }

  HostPort dnsServer(ConfigValue value, String path) {
    return hostPort(value, path, 53);
  }

  /** {@code ip:port} with an IP literal. */
  private HostPort hostPort(ConfigValue value, String path, int defaultPort) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    HostPort hp;
    try {
      hp = HostPort.parse(s, defaultPort);
    } catch (IllegalArgumentException e) {
      problems.add(
          value.origin(),
          path
              + ": "
              + e.getMessage()
              + (defaultPort < 0 ? " (write address:port, e.g. 127.0.0.1:3128)" : ""));
      return null;
    }
    if (Cidr.parseLiteral(hp.host()).isEmpty()) {
      problems.add(
          value.origin(), path + ": '" + s + "': '" + hp.host() + "' is not an IP address");
      return null;
    }
    return hp;
  }

  Cidr cidr(ConfigValue value, String path) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    try {
      return Cidr.parse(s);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  InetAddress ipLiteral(ConfigValue value, String path) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    Optional<byte[]> bytes = Cidr.parseLiteral(s.trim());
    if (bytes.isEmpty()) {
      problems.add(value.origin(), path + ": '" + s + "' is not an IP address");
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes.get());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * {@code example.org} or {@code *.example.org}; matching is the access and pin code's business.
   * An IP address is refused with a hint to {@code addressKey}, the key that matches addresses.
   */
  ValueReader<String> domainPattern(String addressKey) {
    return (value, path) -> {
      String s = values.string(value, path);
      if (s == null) {
        return null;
      }
      String rest = s.startsWith("*.") ? s.substring(2) : s;
      if (rest.isEmpty() || rest.contains("*")) {
        problems.add(
            value.origin(),
            path
                + ": '"
                + s
                + "' is not a domain pattern (write example.org, or *.example.org for its subdomains)");
        return null;
      }
      String lower = rest.toLowerCase(Locale.ROOT);
      HostLiteral.Reading reading =
          HostLiteral.read(lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower);
      if (reading instanceof HostLiteral.Address address) {
        // A request's address is matched after DNS; a domain is matched as the client wrote it.
        String host = address.canonical() + "/" + address.address().getAddress().length * 8;
        problems.add(
            value.origin(),
            path
                + ": \""
                + s
                + "\" in domains is an address: use "
                + addressKey
                + " = [\""
                + host
                + "\"]");
        return null;
      }
      if (reading instanceof HostLiteral.Ambiguous ambiguous) {
        problems.add(value.origin(), path + ": '" + s + "' " + ambiguous.reason());
        return null;
      }
      if (!rest.chars()
          .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
        problems.add(value.origin(), path + ": '" + s + "' is not a domain name");
        return null;
      }
      return s.toLowerCase(Locale.ROOT);
    };
  }

  /** A probe target (see {@link ProbeTarget}), parsed once here. */
  ProbeTarget probeTarget(ConfigValue value, String path) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    try {
      return ProbeTarget.parse(s);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  /** An {@code http://} or {@code https://} URL with a host. */
  String httpUrl(ConfigValue value, String path) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(value.origin(), path + ": '" + s + "' is not an http:// or https:// URL");
    return null;
  }
}
