package gateway.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 192.168.88.0/24} or {@code ::1/128}. A bare
 * address means the single host. Parsing never consults DNS: only literals are accepted.
 */
public record Cidr(byte[] network, int prefix) {

  public Cidr {
    network = network.clone();
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range");
    }
    network = mask(network, prefix);
  }

  /**
   * Parses {@code address[/prefix]}; throws IllegalArgumentException with a reason a person can act
   * on.
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addressPart = slash < 0 ? s : s.substring(0, slash);
    byte[] address =
        parseLiteral(addressPart)
            .orElseThrow(
                () -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR"));
    int prefix = address.length * 8;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      try {
        prefix = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "': prefix '" + p + "' is not a number");
      }
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException(
            "'" + text + "': prefix must be 0.." + address.length * 8);
      }
    }
    return new Cidr(address, prefix);
  }

  public static Cidr of(InetAddress address, int prefix) {
    return new Cidr(address.getAddress(), prefix);
  }

  public static Cidr host(InetAddress address) {
    return of(address, address.getAddress().length * 8);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      // An IPv4-mapped IPv6 client (::ffff:a.b.c.d) is matched against IPv4 networks.
      if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
        a = Arrays.copyOfRange(a, 12, 16);
      } else {
        return false;
      }
    }
    return Arrays.equals(mask(a, prefix), network);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  /** Parses an IP literal without any name lookup. */
  public static Optional<byte[]> parseLiteral(String s) {
    if (s.isEmpty()) {
      return Optional.empty();
    }
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (t.indexOf(':') >= 0) {
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
          return Optional.empty();
        }
      }
      try {
        // With only hex digits, colons and dots, InetAddress parses the literal and never resolves.
        return Optional.of(InetAddress.getByName(t).getAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    // Dotted quad, parsed by hand: this runs for every request, so no regex, no split, no streams.
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return Optional.empty();
        }
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return Optional.empty();
        }
      } else {
        return Optional.empty();
      }
    }
    if (part != 4) {
      return Optional.empty();
    }
    return Optional.of(out);
  }
}
