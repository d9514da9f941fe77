package gateway.app.torch;

import static gateway.app.torch.MadeUpFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.torch.Packet.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the decoder reads out of captured frames: one row per link type and header shape. */
class FramesTest {
  static final int TCP = 6;
  static final int UDP = 17;
  static final int ICMP = 1;

  static Stream<Arguments> frames() {
    return Stream.of(
        Arguments.of(
            "Ethernet, IPv4, TCP",
            Frames.DLT_EN10MB,
            frame()
                .ethernet(0x0800)
                .ipv4(TCP, "192.168.1.2", "93.184.215.14", 1500, 0)
                .ports(40512, 443)
                .build(),
            1514,
            packet(Protocol.TCP, "192.168.1.2", 40512, "93.184.215.14", 443, 1500)),
        Arguments.of(
            "Ethernet, 802.1Q tag, IPv4, UDP",
            Frames.DLT_EN10MB,
            frame()
                .ethernet(0x8100)
                .u16(0x0064)
                .u16(0x0800)
                .ipv4(UDP, "192.168.2.2", "1.1.1.1", 60, 0)
                .ports(53124, 53)
                .build(),
            78,
            packet(Protocol.UDP, "192.168.2.2", 53124, "1.1.1.1", 53, 60)),
        Arguments.of(
            "Ethernet, QinQ (two tags), IPv4, TCP",
            Frames.DLT_EN10MB,
            frame()
                .ethernet(0x88A8)
                .u16(10)
                .u16(0x8100)
                .u16(20)
                .u16(0x0800)
                .ipv4(TCP, "10.0.0.1", "10.0.0.2", 40, 0)
                .ports(1, 2)
                .build(),
            62,
            packet(Protocol.TCP, "10.0.0.1", 1, "10.0.0.2", 2, 40)),
        Arguments.of(
            "Ethernet, IPv6, TCP",
            Frames.DLT_EN10MB,
            frame()
                .ethernet(0x86DD)
                .ipv6(TCP, "2001:db8::2", "2001:db8:1::80", 20)
                .ports(50000, 443)
                .build(),
            74,
            packet(Protocol.TCP, "2001:db8::2", 50000, "2001:db8:1::80", 443, 60)),
        Arguments.of(
            "IPv6 with hop-by-hop options before UDP",
            Frames.DLT_EN10MB,
            frame()
                .ethernet(0x86DD)
                .ipv6(0, "2001:db8::2", "2001:db8::3", 16)
                .bytes(UDP, 0, 0, 0, 0, 0, 0, 0)
                .ports(5353, 5353)
                .build(),
            110,
            packet(Protocol.UDP, "2001:db8::2", 5353, "2001:db8::3", 5353, 96)),
        Arguments.of(
            "IPv6 first fragment: ports are there",
            Frames.DLT_RAW,
            frame()
                .ipv6(44, "2001:db8::2", "2001:db8::3", 1000)
                .bytes(UDP, 0)
                .u16(0x0001)
                .zeros(4)
                .ports(4000, 5000)
                .build(),
            1040,
            packet(Protocol.UDP, "2001:db8::2", 4000, "2001:db8::3", 5000, 1040)),
        Arguments.of(
            "IPv6 later fragment: no ports",
            Frames.DLT_RAW,
            frame()
                .ipv6(44, "2001:db8::2", "2001:db8::3", 1000)
                .bytes(UDP, 0)
                .u16(0x05A8)
                .zeros(4)
                .bytes(9, 9, 9, 9)
                .build(),
            1040,
            packet(Protocol.UDP, "2001:db8::2", 0, "2001:db8::3", 0, 1040)),
        Arguments.of(
            "Linux cooked v1 (ppp0), IPv4, TCP",
            Frames.DLT_LINUX_SLL,
            frame()
                .zeros(14)
                .u16(0x0800)
                .ipv4(TCP, "100.64.0.2", "203.0.113.7", 52, 0)
                .ports(33000, 80)
                .build(),
            68,
            packet(Protocol.TCP, "100.64.0.2", 33000, "203.0.113.7", 80, 52)),
        Arguments.of(
            "Linux cooked v2, IPv6, UDP",
            Frames.DLT_LINUX_SLL2,
            frame()
                .u16(0x86DD)
                .zeros(18)
                .ipv6(UDP, "2001:db8::9", "2001:db8::1", 8)
                .ports(1234, 53)
                .build(),
            68,
            packet(Protocol.UDP, "2001:db8::9", 1234, "2001:db8::1", 53, 48)),
        Arguments.of(
            "raw IP (tun, LTE modem), IPv4, UDP",
            Frames.DLT_RAW,
            frame().ipv4(UDP, "10.64.0.2", "9.9.9.9", 1200, 0).ports(41000, 443).build(),
            1200,
            packet(Protocol.UDP, "10.64.0.2", 41000, "9.9.9.9", 443, 1200)),
        Arguments.of(
            "IPv4 later fragment: no ports",
            Frames.DLT_RAW,
            frame().ipv4(UDP, "10.64.0.2", "9.9.9.9", 1500, 185).bytes(1, 2, 3, 4).build(),
            1500,
            packet(Protocol.UDP, "10.64.0.2", 0, "9.9.9.9", 0, 1500)),
        Arguments.of(
            "cut short after the IP header: no ports",
            Frames.DLT_RAW,
            frame().ipv4(TCP, "10.0.0.1", "10.0.0.2", 40, 0).bytes(0x01).build(),
            40,
            packet(Protocol.TCP, "10.0.0.1", 0, "10.0.0.2", 0, 40)),
        Arguments.of(
            "BSD loopback header, IPv4, TCP",
            Frames.DLT_NULL,
            frame()
                .bytes(2, 0, 0, 0)
                .ipv4(TCP, "127.0.0.1", "127.0.0.1", 40, 0)
                .ports(1, 2)
                .build(),
            44,
            packet(Protocol.TCP, "127.0.0.1", 1, "127.0.0.1", 2, 40)),
        Arguments.of(
            "ICMP: not torch's",
            Frames.DLT_EN10MB,
            frame().ethernet(0x0800).ipv4(ICMP, "192.168.1.2", "1.1.1.1", 84, 0).zeros(8).build(),
            98,
            null),
        Arguments.of(
            "ARP: not IP", Frames.DLT_EN10MB, frame().ethernet(0x0806).zeros(28).build(), 42, null),
        Arguments.of(
            "IPv4 header cut short",
            Frames.DLT_EN10MB,
            frame().ethernet(0x0800).bytes(0x45, 0, 0, 40).build(),
            54,
            null),
        Arguments.of(
            "a link type torch does not know",
            127 /* radiotap */,
            frame().zeros(64).build(),
            64,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decodes(String what, int linkType, byte[] frame, int wireLength, Packet expected) {
    assertThat(Frames.decode(linkType, frame, wireLength)).isEqualTo(Optional.ofNullable(expected));
  }

  static Packet packet(Protocol p, String src, int srcPort, String dst, int dstPort, int length) {
    try {
      return new Packet(
          p, InetAddress.getByName(src), srcPort, InetAddress.getByName(dst), dstPort, length);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
