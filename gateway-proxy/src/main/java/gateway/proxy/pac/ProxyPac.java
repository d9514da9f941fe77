package gateway.proxy.pac;

import gateway.core.net.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy auto-config (PAC) file browsers fetch from {@code /proxy.pac} or {@code /wpad.dat}: a
 * pure function of where the proxy is and which networks are reached without it.
 *
 * <h2>What it says (format v1)</h2>
 *
 * <pre>
 * // gateway proxy auto-config v1
 * function FindProxyForURL(url, host) {
 *   if (isPlainHostName(host) || host == "localhost" || dnsDomainIs(host, ".local")) return "DIRECT";
 *   if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
 *     if (isInNet(host, "127.0.0.0", "255.0.0.0")
 *         || isInNet(host, "192.168.88.0", "255.255.255.0")) return "DIRECT";
 *   }
 *   if (host.indexOf(":") &gt;= 0 &amp;&amp; /^(::1$|f[cd]|fe[89ab])/i.test(host)) return "DIRECT";
 *   return "PROXY 192.168.88.1:3128";
 * }
 * </pre>
 *
 * <ul>
 *   <li>DIRECT: names without a dot (intranet hosts), {@code localhost}, {@code *.local} (mDNS),
 *       address literals in loopback, link-local, the private ranges of RFC 1918 and the LAN's
 *       networks ({@code clients.allow}); IPv6 literals in loopback, ULA and link-local.
 *   <li>Only address literals are tested against networks: {@code isInNet} on a name would make the
 *       browser resolve every host before each request.
 *   <li>Everything else: {@code PROXY host:port}, the address the client reached the gateway at,
 *       and with {@code pac.direct-fallback} also {@code ; DIRECT} (browsers then go straight out
 *       while the proxy does not answer).
 * </ul>
 */
public final class ProxyPac {
  /** The media type browsers expect (Netscape's, still what every browser reads). */
  public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  /** Always reached directly: loopback, link-local and RFC 1918's private ranges. */
  static final List<Cidr> ALWAYS_DIRECT =
      List.of(
          Cidr.parse("127.0.0.0/8"),
          Cidr.parse("169.254.0.0/16"),
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.168.0.0/16"));

  private ProxyPac() {}

  /**
   * Whether {@code path} (without its query) names the PAC file: {@code /proxy.pac}, {@code
   * /wpad.dat}.
   */
  public static boolean isPacPath(String path) {
    return path.equals("/proxy.pac") || path.equals("/wpad.dat");
  }

  /**
   * The script.
   *
   * @param proxy where browsers reach the proxy
   * @param lan networks reached directly besides {@link #ALWAYS_DIRECT} (IPv6 ones are left out:
   *     {@code isInNet} is IPv4 only)
   * @param directFallback whether browsers go DIRECT while the proxy does not answer
   */
  public static String script(InetSocketAddress proxy, List<Cidr> lan, boolean directFallback) {
    List<Cidr> direct = new ArrayList<>(ALWAYS_DIRECT);
    for (Cidr c : lan) {
      if (c.network().length == 4 && ALWAYS_DIRECT.stream().noneMatch(a -> covers(a, c))) {
        direct.add(c);
      }
    }
    StringBuilder b =
        new StringBuilder()
            .append("// gateway proxy auto-config v1\n")
            .append("function FindProxyForURL(url, host) {\n")
            .append(
                "  if (isPlainHostName(host) || host == \"localhost\" || dnsDomainIs(host, \".local\"))")
            .append(" return \"DIRECT\";\n")
            .append("  if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) {\n")
            .append("    if (");
    for (int i = 0; i < direct.size(); i++) {
      if (i > 0) {
        b.append("\n        || ");
      }
      Cidr c = direct.get(i);
      b.append("isInNet(host, \"")
          .append(dotted(c.network()))
          .append("\", \"")
          .append(mask(c.prefix()))
          .append("\")");
    }
    b.append(") return \"DIRECT\";\n")
        .append("  }\n")
        .append("  if (host.indexOf(\":\") >= 0 && /^(::1$|f[cd]|fe[89ab])/i.test(host))")
        .append(" return \"DIRECT\";\n")
        .append("  return \"PROXY ")
        .append(authority(proxy))
        .append(directFallback ? "; DIRECT" : "")
        .append("\";\n")
        .append("}\n");
    return b.toString();
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  static String authority(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    if (ip instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return host + ":" + a.getPort();
  }

  private static boolean covers(Cidr outer, Cidr inner) {
    try {
      return outer.prefix() <= inner.prefix()
          && outer.contains(InetAddress.getByAddress(inner.network()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String dotted(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  private static String mask(int prefix) {
    long m = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return ((m >> 24) & 0xff)
        + "."
        + ((m >> 16) & 0xff)
        + "."
        + ((m >> 8) & 0xff)
        + "."
        + (m & 0xff);
  }
}
