package gateway.app.torch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A flow as torch shows it: protocol, this uplink's end and the far end. Both directions of a
 * connection are one flow.
 */
public record Flow(
    Packet.Protocol protocol,
    InetAddress local,
    int localPort,
    InetAddress remote,
    int remotePort) {

  /** Protocol, then the ends as text: only to make ties in the busiest-first order stable. */
  static final Comparator<Flow> ORDER =
      Comparator.comparing(Flow::protocol)
          .thenComparing(f -> endpoint(f.local, f.localPort))
          .thenComparing(f -> endpoint(f.remote, f.remotePort));

  /** {@code 192.0.2.1:443}, {@code [2001:db8::1]:443}; no port when it is unknown (0). */
  public static String endpoint(InetAddress address, int port) {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int scope = host.indexOf('%');
      host = scope < 0 ? host : host.substring(0, scope);
      host = compressed(host);
      return port == 0 ? host : "[" + host + "]:" + port;
    }
    return port == 0 ? host : host + ":" + port;
  }

  /**
   * Java prints IPv6 addresses in full ({@code 2001:db8:0:0:0:0:0:1}); tables want the short form.
   */
  private static String compressed(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength && j - i > 1) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }
}
