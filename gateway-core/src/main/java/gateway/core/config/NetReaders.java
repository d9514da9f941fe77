package gateway.core.config;

import com.typesafe.config.ConfigValue;
import gateway.core.net.Cidr;
import gateway.core.net.HostLiteral;
import gateway.core.net.HostPort;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Readers of network values: IP addresses, CIDRs, {@code ip:port}, domain patterns, probe targets and
 * URLs. Nothing here is resolved through DNS.
 */
final class NetReaders {
  static final List<String> PROBE_SCHEMES = List.of("tcp", "http", "dns", "icmp");

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
      problems.add(value.origin(), path + ": " + e.getMessage()
          + (defaultPort < 0 ? " (write address:port, e.g. 127.0.0.1:3128)" : ""));
      return null;
    }
    if (Cidr.parseLiteral(hp.host()).isEmpty()) {
      problems.add(value.origin(), path + ": '" + s + "': '" + hp.host() + "' is not an IP address");
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
   * {@code example.org} or {@code *.example.org}; matching is the access and pin code's business. An
   * IP address is refused with a hint to {@code addressKey}, the key that matches addresses.
   */
  ValueReader<String> domainPattern(String addressKey) {
    return (value, path) -> {
      String s = values.string(value, path);
      if (s == null) {
        return null;
      }
      String rest = s.startsWith("*.") ? s.substring(2) : s;
      if (rest.isEmpty() || rest.contains("*")) {
        problems.add(value.origin(), path + ": '" + s
            + "' is not a domain pattern (write example.org, or *.example.org for its subdomains)");
        return null;
      }
      String lower = rest.toLowerCase(Locale.ROOT);
      HostLiteral.Reading reading = HostLiteral.read(lower.endsWith(".")
          ? lower.substring(0, lower.length() - 1) : lower);
      if (reading instanceof HostLiteral.Address address) {
        // A request's address is matched after DNS; a domain is matched as the client wrote it.
        String host = address.canonical() + "/" + address.address().getAddress().length * 8;
        problems.add(value.origin(), path + ": \"" + s + "\" in domains is an address: use "
            + addressKey + " = [\"" + host + "\"]");
        return null;
      }
      if (reading instanceof HostLiteral.Ambiguous ambiguous) {
        problems.add(value.origin(), path + ": '" + s + "' " + ambiguous.reason());
        return null;
      }
      if (!rest.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
        problems.add(value.origin(), path + ": '" + s + "' is not a domain name");
        return null;
      }
      return s.toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A probe target: {@code tcp://host:port}, {@code http://host/path}, {@code dns://ip[:port]/name} or
   * {@code icmp://ip}.
   */
  String probeTarget(ConfigValue value, String path) {
    String s = values.string(value, path);
    if (s == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      problems.add(value.origin(), path + ": '" + s + "' is not a URL");
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    String problem = null;
    if (scheme == null || !PROBE_SCHEMES.contains(scheme)) {
      problem = (scheme == null ? "no probe scheme" : "unknown probe scheme '" + scheme + "'")
          + " (write tcp://host:port, http://host/path, dns://ip:53/name or icmp://ip)";
    } else if (uri.getHost() == null) {
      problem = "no host";
    } else if (scheme.equals("tcp") && uri.getPort() < 1) {
      problem = "a tcp probe needs a port, e.g. tcp://" + uri.getHost() + ":53";
    } else if ((scheme.equals("dns") || scheme.equals("icmp")) && Cidr.parseLiteral(uri.getHost()).isEmpty()) {
      problem = "a " + scheme + " probe needs an IP address, not '" + uri.getHost() + "'";
    } else if (scheme.equals("dns") && (uri.getPath() == null || uri.getPath().length() < 2)) {
      problem = "a dns probe needs a name to ask for, e.g. dns://" + uri.getHost() + ":53/example.org";
    } else if (scheme.equals("icmp") && uri.getPort() >= 0) {
      problem = "an icmp probe has no port";
    }
    if (problem != null) {
      problems.add(value.origin(), path + ": '" + s + "': " + problem);
      return null;
    }
    return s;
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
