package gateway.core.net;

import java.net.InetSocketAddress;

/**
 * A host (name or IP literal) and a port, as written in config or in a request: {@code
 * 127.0.0.1:3128}, {@code [::1]:3128}, {@code example.org:443}.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range 0..65535");
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}; without a port, {@code defaultPort} (or an error
   * if < 0).
   */
  public static HostPort parse(String text, int defaultPort) {
    String s = text.trim();
    String host;
    String portText = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "': missing ']'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.startsWith(":")) {
        portText = rest.substring(1);
      } else if (!rest.isEmpty()) {
        throw new IllegalArgumentException("'" + text + "': unexpected '" + rest + "'");
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') == colon) {
        host = s.substring(0, colon);
        portText = s.substring(colon + 1);
      } else {
        host = s;
      }
    }
    int port = defaultPort;
    if (portText != null) {
      if (portText.isEmpty() || portText.length() > 5 || !digitsOnly(portText)) {
        throw new IllegalArgumentException(
            "'" + text + "': port '" + portText + "' is not a number");
      }
      port = Integer.parseInt(portText);
      if (port > 65535) {
        throw new IllegalArgumentException("'" + text + "': port " + port + " out of range");
      }
    }
    if (port < 0) {
      throw new IllegalArgumentException("'" + text + "': a port is required");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "': empty host");
    }
    return new HostPort(host, port);
  }

  private static boolean digitsOnly(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An unresolved socket address, so that no lookup happens here. */
  public InetSocketAddress toUnresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
