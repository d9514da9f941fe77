package gateway.pcc.bind;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.Uplink;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class DefaultRouteDiscoveryTest {

  /**
   * A dual-WAN box as a little-endian kernel prints it: LAN on eth0, two modems on eth1 and eth2,
   * an LTE stick on ppp0 (on-link default), an "unreachable default" on lo, a second eth1 default
   * with a worse metric, and a route that is not up.
   */
  static final String DUAL_WAN =
      String.join(
          "\n",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT        ",
          "eth2\t00000000\t0102A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0                              ",
          "eth1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0                              ",
          "eth1\t00000000\t0101A8C0\t0003\t0\t0\t900\t00000000\t0\t0\t0                              ",
          "ppp0\t00000000\t00000000\t0001\t0\t0\t300\t00000000\t0\t0\t0                              ",
          "lo\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0                                  ",
          "eth3\t00000000\t0103A8C0\t0002\t0\t0\t50\t00000000\t0\t0\t0                               ",
          "eth0\t0058A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                ",
          "eth1\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0                              ",
          "eth2\t0002A8C0\t00000000\t0001\t0\t0\t200\t00FFFFFF\t0\t0\t0                              ",
          "garbage line",
          "");

  /** A single-homed laptop: one default route. */
  static final String LAPTOP =
      String.join(
          "\n",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
          "wlp2s0\t00000000\t0100000A\t0003\t0\t0\t600\t00000000\t0\t0\t0",
          "wlp2s0\t0000000A\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0");

  /** No default route at all (an isolated namespace). */
  static final String NO_DEFAULT =
      String.join(
          "\n",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
          "veth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");

  static final Map<String, InetAddress> ADDRESSES =
      Map.of(
          "eth0", address("192.168.88.1"),
          "eth1", address("192.168.1.2"),
          "eth2", address("192.168.2.2"),
          "wlp2s0", address("10.0.0.23"));

  @Test
  void parsesUsableDefaultRoutesOnePerInterfaceByMetric() {
    assertThat(DefaultRouteDiscovery.parseDefaultRoutes(DUAL_WAN, ByteOrder.LITTLE_ENDIAN))
        .containsExactly(
            new DefaultRoute("eth1", Optional.of(address("192.168.1.1")), 100),
            new DefaultRoute("eth2", Optional.of(address("192.168.2.1")), 200),
            new DefaultRoute("ppp0", Optional.empty(), 300));
  }

  @Test
  void aBigEndianKernelPrintsAddressesTheOtherWayRound() {
    String bigEndian = "eth1\t00000000\tC0A80101\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
    assertThat(DefaultRouteDiscovery.parseDefaultRoutes(bigEndian, ByteOrder.BIG_ENDIAN))
        .containsExactly(new DefaultRoute("eth1", Optional.of(address("192.168.1.1")), 100));
  }

  @Test
  void oneUplinkPerDefaultRouteInterfaceNamedAfterIt() {
    List<Uplink> uplinks =
        DefaultRouteDiscovery.uplinks(
            DefaultRouteDiscovery.parseDefaultRoutes(DUAL_WAN, ByteOrder.LITTLE_ENDIAN),
            name -> Optional.ofNullable(ADDRESSES.get(name)));
    // ppp0 has no IPv4 address in the lookup: skipped (with a WARN).
    assertThat(uplinks)
        .containsExactly(
            new Uplink("eth1", address("192.168.1.2"), Optional.of("eth1"), 1, 1),
            new Uplink("eth2", address("192.168.2.2"), Optional.of("eth2"), 1, 1));
  }

  @Test
  void aLaptopHasOneUplink() {
    assertThat(
            DefaultRouteDiscovery.discover(
                LAPTOP, name -> Optional.ofNullable(ADDRESSES.get(name))))
        .extracting(Uplink::name, Uplink::address)
        .containsExactly(Tuple.tuple("wlp2s0", address("10.0.0.23")));
  }

  @Test
  void noDefaultRouteGivesNoUplinks() {
    assertThat(
            DefaultRouteDiscovery.discover(NO_DEFAULT, name -> Optional.of(address("198.18.0.1"))))
        .isEmpty();
    assertThat(DefaultRouteDiscovery.discover("", name -> Optional.of(address("198.18.0.1"))))
        .isEmpty();
  }

  @Test
  void readingThisMachineNeverThrows() {
    // Whatever this machine's routes are, discovery returns a list (possibly empty).
    assertThat(DefaultRouteDiscovery.discover()).isNotNull();
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
