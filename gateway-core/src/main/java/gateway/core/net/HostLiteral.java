package gateway.core.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * How a host as written in a URL or a config is to be read: a name, an IP address (with its one
 * canonical spelling), or a spelling that parsers disagree on.
 *
 * <p>RFC 3986 3.2.2 knows IPv4 only as four decimal numbers without leading zeros and reads
 * anything else as a registered name; the WHATWG URL standard (browsers) and the C library's {@code
 * inet_aton} read a host that ends in a number as IPv4 with octal ({@code 010}), hex ({@code 0x7f})
 * and short ({@code 127.1}, {@code 0}) forms. Where those readings give different addresses, or one
 * says "name" and the other "address", a rule, the log and the connection pool cannot know what the
 * client meant: such a host is {@link Ambiguous}, to be refused rather than guessed. Leading zeros
 * that every reading agrees on ({@code 127.000.000.002}: {@code 000} and {@code 002} are the same
 * in octal and decimal) are read as the address. IPv6 is read in any RFC 4291 spelling and written
 * per RFC 5952; an IPv4-mapped address ({@code ::ffff:127.0.0.2}) is its IPv4 address.
 */
public final class HostLiteral {
  /** What a host is. */
  public sealed interface Reading permits Name, Address, Ambiguous {}

  /** A name, to be looked up. */
  public record Name(String host) implements Reading {}

  /** An IP address; {@code canonical} is its one spelling (IPv6 without brackets). */
  public record Address(InetAddress address, String canonical) implements Reading {}

  /**
   * A numeric spelling that is not one address for every parser; {@code reason} says so, to follow
   * the host in a message ("'0x7f.0.0.1' " + reason).
   */
  public record Ambiguous(String reason) implements Reading {}

  private HostLiteral() {}

  /** Reads {@code host}: lower case, without a trailing dot, IPv6 with or without brackets. */
  public static Reading read(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.indexOf(':') >= 0) {
      return readV6(h);
    }
    if (!endsInNumber(h)) {
      return new Name(host);
    }
    byte[] v4 = dottedQuad(h);
    if (v4 == null) {
      return new Ambiguous(
          "is not an IPv4 address as four decimal numbers 0-255"
              + " (octal, hex and short forms are read differently by different programs)");
    }
    return address(v4);
  }

  /** The address of {@code host} when it is an IP literal in an accepted spelling. */
  public static Optional<InetAddress> address(String host) {
    return read(host) instanceof Address a ? Optional.of(a.address()) : Optional.empty();
  }

  /**
   * WHATWG URL "ends in a number": the last label (after a trailing dot, the one before it) is all
   * decimal digits or {@code 0x} and hex digits. Such a host is IPv4 to a browser, never a name.
   */
  static boolean endsInNumber(String h) {
    String s = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    String last = s.substring(s.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return (last.startsWith("0x") || last.startsWith("0X"))
        && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** Four decimal parts 0-255, leading zeros only where octal would read the same; else null. */
  private static byte[] dottedQuad(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(p);
      // "010" is 10 in decimal and 8 in octal; "002" is 2 in both.
      if (p.length() > 1 && p.charAt(0) == '0' && value > 7) {
        return null;
      }
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  private static Reading readV6(String h) {
    int lastColon = h.lastIndexOf(':');
    String tail = h.substring(lastColon + 1);
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
        return new Ambiguous("is not an IPv6 address");
      }
    }
    if (tail.indexOf('.') >= 0 && dottedQuad(tail) == null) {
      return new Ambiguous(
          "is not an IPv6 address: its IPv4 part '"
              + tail
              + "' must be four decimal numbers 0-255");
    }
    try {
      // Only hex digits, colons and dots: InetAddress parses the literal and never resolves.
      return address(InetAddress.getByName(h).getAddress());
    } catch (UnknownHostException e) {
      return new Ambiguous("is not an IPv6 address");
    }
  }

  private static Address address(byte[] bytes) {
    try {
      // getByAddress turns an IPv4-mapped IPv6 address into its IPv4 address.
      InetAddress a = InetAddress.getByAddress(bytes);
      return new Address(
          a, a instanceof Inet4Address ? a.getHostAddress() : v6Text(a.getAddress()));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * RFC 5952 4: lower-case hex, no leading zeros, the longest run of two or more zero groups as ::.
   */
  static String v6Text(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }
}
