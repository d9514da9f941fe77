package gateway.app.torch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the few header fields torch needs out of a captured frame: link header, IPv4 or IPv6
 * (skipping IPv6 extension headers), TCP or UDP ports. A pure function of the bytes, so it is
 * tested with made-up frames; decoding only these fields keeps the per-packet cost small on a busy
 * uplink.
 *
 * <p>Link types (libpcap's DLT numbers): Ethernet (with 802.1Q / 802.1ad tags), Linux cooked v1 and
 * v2 (PPP and other devices without an Ethernet header), raw IP (tun devices, some LTE modems), BSD
 * loopback.
 */
public final class Frames {
  public static final int DLT_NULL = 0;
  public static final int DLT_EN10MB = 1;
  public static final int DLT_RAW = 12;
  public static final int DLT_RAW_OPENBSD = 14;
  public static final int LINKTYPE_RAW = 101;
  public static final int DLT_LOOP = 108;
  public static final int DLT_LINUX_SLL = 113;
  public static final int DLT_IPV4 = 228;
  public static final int DLT_IPV6 = 229;
  public static final int DLT_LINUX_SLL2 = 276;

  /**
   * Bytes of a frame torch needs at most: an Ethernet header with two VLAN tags (22), IPv6 (40)
   * with a few extension headers, and the first 4 bytes of TCP/UDP. The capture's snap length.
   */
  public static final int SNAPLEN = 160;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int TCP = 6;
  private static final int UDP = 17;

  private Frames() {}

  /** Whether torch can decode frames of this link type. */
  public static boolean supports(int linkType) {
    return switch (linkType) {
      case DLT_NULL,
          DLT_EN10MB,
          DLT_RAW,
          DLT_RAW_OPENBSD,
          LINKTYPE_RAW,
          DLT_LOOP,
          DLT_LINUX_SLL,
          DLT_IPV4,
          DLT_IPV6,
          DLT_LINUX_SLL2 ->
          true;
      default -> false;
    };
  }

  /**
   * The packet in {@code frame} (the captured bytes, perhaps cut at the snap length), or empty when
   * it is not TCP or UDP over IP or too short to tell.
   *
   * @param wireLength the frame's length on the wire (libpcap's {@code len})
   */
  public static Optional<Packet> decode(int linkType, byte[] frame, int wireLength) {
    int ip;
    switch (linkType) {
      case DLT_EN10MB -> {
        int at = 12;
        int type = u16(frame, at);
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
          at += 4;
          type = u16(frame, at);
        }
        if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
          return Optional.empty();
        }
        ip = at + 2;
      }
      case DLT_LINUX_SLL -> ip = etherTyped(frame, 14, 16);
      case DLT_LINUX_SLL2 -> ip = etherTyped(frame, 0, 20);
      case DLT_RAW, DLT_RAW_OPENBSD, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6 -> ip = 0;
      case DLT_NULL, DLT_LOOP ->
          ip = 4; // a 4-byte address family; the IP version nibble says the same
      default -> {
        return Optional.empty();
      }
    }
    if (ip < 0 || ip >= frame.length) {
      return Optional.empty();
    }
    int length = Math.max(0, wireLength - ip);
    return switch ((frame[ip] & 0xff) >>> 4) {
      case 4 -> ipv4(frame, ip, length);
      case 6 -> ipv6(frame, ip, length);
      default -> Optional.empty();
    };
  }

  /**
   * Offset of the IP header after a link header whose EtherType is at {@code typeAt}; -1 if not IP.
   */
  private static int etherTyped(byte[] frame, int typeAt, int headerLength) {
    int type = u16(frame, typeAt);
    return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? headerLength : -1;
  }

  private static Optional<Packet> ipv4(byte[] f, int at, int length) {
    if (f.length < at + 20) {
      return Optional.empty();
    }
    int headerLength = (f[at] & 0x0f) * 4;
    int protocol = f[at + 9] & 0xff;
    Packet.Protocol p = protocol(protocol);
    if (p == null || headerLength < 20) {
      return Optional.empty();
    }
    boolean laterFragment = (u16(f, at + 6) & 0x1fff) != 0;
    InetAddress src = address(f, at + 12, 4);
    InetAddress dst = address(f, at + 16, 4);
    return Optional.of(withPorts(p, src, dst, f, laterFragment ? -1 : at + headerLength, length));
  }

  private static Optional<Packet> ipv6(byte[] f, int at, int length) {
    if (f.length < at + 40) {
      return Optional.empty();
    }
    int next = f[at + 6] & 0xff;
    int l4 = at + 40;
    // Hop-by-hop (0), routing (43), fragment (44), destination options (60): skip to TCP or UDP.
    for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 44 || next == 60); hops++) {
      if (f.length < l4 + 8) {
        return Optional.empty();
      }
      if (next == 44) {
        boolean laterFragment = (u16(f, l4 + 2) & 0xfff8) != 0;
        next = f[l4] & 0xff;
        if (laterFragment) {
          l4 = -1; // no transport header in this fragment
          break;
        }
        l4 += 8;
      } else {
        next = f[l4] & 0xff;
        l4 += ((f[l4 + 1] & 0xff) + 1) * 8;
      }
    }
    Packet.Protocol p = protocol(next);
    if (p == null) {
      return Optional.empty();
    }
    InetAddress src = address(f, at + 8, 16);
    InetAddress dst = address(f, at + 24, 16);
    return Optional.of(withPorts(p, src, dst, f, l4, length));
  }

  private static Packet withPorts(
      Packet.Protocol p, InetAddress src, InetAddress dst, byte[] f, int l4, int length) {
    boolean known = l4 >= 0 && f.length >= l4 + 4;
    return new Packet(p, src, known ? u16(f, l4) : 0, dst, known ? u16(f, l4 + 2) : 0, length);
  }

  private static Packet.Protocol protocol(int number) {
    return number == TCP ? Packet.Protocol.TCP : number == UDP ? Packet.Protocol.UDP : null;
  }

  private static int u16(byte[] f, int at) {
    return at + 2 <= f.length ? ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff) : -1;
  }

  private static InetAddress address(byte[] f, int at, int length) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(f, at, at + length));
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are an address", e);
    }
  }
}
