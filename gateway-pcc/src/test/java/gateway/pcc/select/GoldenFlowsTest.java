package gateway.pcc.select;

import static gateway.pcc.select.Uplinks.address;
import static gateway.pcc.select.Uplinks.flow;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import gateway.pcc.classify.FlowHash;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden data for flow hash v1 and selection v1: a flow must never silently change uplink between
 * versions of the gateway. If one of these fails, the change moves live flows: it needs a new
 * version (v2) in the docs of {@link Classifier} and {@link UplinkSelector}, and new rows here, on
 * purpose.
 */
class GoldenFlowsTest {

  /** isp1 weight 2 and isp2 weight 1 in tier 1, lte in tier 2: the design card's example. */
  static final List<Uplink> UPLINKS =
      List.of(
          new Uplink("isp1", address("198.18.1.2"), Optional.of("eth1"), 2, 1),
          new Uplink("isp2", address("198.18.2.2"), Optional.of("eth2"), 1, 1),
          new Uplink("lte", address("198.18.3.2"), Optional.empty(), 1, 2));

  static Stream<Arguments> flows() {
    return Stream.of(
        row("192.168.88.10", 50000, "93.184.216.34", 443, 0x5a03531fc18bd737L, "isp2,isp1,lte"),
        row("192.168.88.10", 50001, "93.184.216.34", 443, 0xe70438d270c9d47fL, "isp1,isp2,lte"),
        row("192.168.88.10", 50002, "93.184.216.34", 443, 0x2696ae525bed672dL, "isp1,isp2,lte"),
        row("192.168.88.10", 50003, "93.184.216.34", 80, 0xf915e484a7be198fL, "isp1,isp2,lte"),
        row("192.168.88.11", 40000, "93.184.216.34", 443, 0xa779905d02eb40fdL, "isp1,isp2,lte"),
        row("192.168.88.12", 40000, "1.1.1.1", 53, 0x616e8cbec3a76b53L, "isp2,isp1,lte"),
        row("192.168.88.13", 33333, "8.8.8.8", 443, 0xde1e06236960195fL, "isp2,isp1,lte"),
        row("192.168.88.14", 1024, "142.250.74.46", 443, 0x292b36e42416acbbL, "isp1,isp2,lte"),
        row("192.168.88.15", 65535, "151.101.1.69", 443, 0x10b61a767dedf20eL, "isp2,isp1,lte"),
        row("192.168.88.16", 49152, "104.16.132.229", 80, 0x9de26a60485103e4L, "isp2,isp1,lte"),
        row("192.168.88.17", 49153, "198.51.100.7", 8080, 0xb25497d7422f79a7L, "isp1,isp2,lte"),
        row("192.168.88.18", 60000, "203.0.113.9", 443, 0x24ffd5a01a6436c0L, "isp2,isp1,lte"),
        row("192.168.88.19", 60001, "203.0.113.9", 443, 0x33ecffb4262e0ebcL, "isp1,isp2,lte"),
        row("192.168.88.20", 12345, "192.0.2.1", 443, 0xf30ea6cc356f218eL, "isp1,isp2,lte"),
        row("192.168.88.254", 54321, "17.253.144.10", 443, 0x99f2e76bbb7c4273L, "isp1,isp2,lte"),
        row("10.0.0.5", 40001, "93.184.216.34", 443, 0x2a183b1cb9a4da22L, "isp2,isp1,lte"),
        row("10.0.0.6", 40002, "140.82.121.4", 22, 0xfc3b841919879997L, "isp1,isp2,lte"),
        row("127.0.0.1", 55555, "127.0.0.1", 3128, 0x7f863f7e2aa4c575L, "isp1,isp2,lte"),
        row(
            "fd00::10",
            50000,
            "2606:2800:220:1:248:1893:25c8:1946",
            443,
            0xab7d23dbced4767eL,
            "isp2,isp1,lte"),
        row(
            "fd00::11",
            50001,
            "2a00:1450:4001:82a::200e",
            443,
            0xdefb34db2c2ebb18L,
            "isp2,isp1,lte"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void flowHashAndUplinkOrderNeverChange(FlowKey key, long hash, String order) {
    assertThat(Classifier.BOTH_ADDRESSES_AND_PORTS.hash(key)).isEqualTo(hash);
    Selection s = UplinkSelector.allAvailable(UPLINKS, Classifier.DEFAULT).select(key, null);
    assertThat(s.flowHash()).isEqualTo(hash);
    assertThat(String.join(",", s.candidates().stream().map(Uplink::name).toList()))
        .isEqualTo(order);
  }

  static Stream<Arguments> eachClassifierOfOneFlow() {
    return Stream.of(
        Arguments.of(Classifier.SRC_ADDRESS, 0x43aceb522bf4e768L),
        Arguments.of(Classifier.DST_ADDRESS, 0x84ab2b84325101cbL),
        Arguments.of(Classifier.BOTH_ADDRESSES, 0xb65e9d989323d203L),
        Arguments.of(Classifier.SRC_PORT, 0x85d9d02744c2f6e0L),
        Arguments.of(Classifier.DST_PORT, 0x9bb7dbe96c284622L),
        Arguments.of(Classifier.BOTH_PORTS, 0x3f1c92b2a65264cbL),
        Arguments.of(Classifier.SRC_ADDRESS_AND_PORT, 0xb7a7cda0d96eab99L),
        Arguments.of(Classifier.DST_ADDRESS_AND_PORT, 0x878b25721f650106L),
        Arguments.of(Classifier.BOTH_ADDRESSES_AND_PORTS, 0x5a03531fc18bd737L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eachClassifierOfOneFlow")
  void eachClassifiersHashOfOneFlowNeverChanges(Classifier c, long hash) {
    assertThat(c.hash(flow("192.168.88.10", 50000, "93.184.216.34", 443))).isEqualTo(hash);
  }

  @ParameterizedTest
  @MethodSource("nameHashes")
  void uplinkNameHashesNeverChange(String name, long hash) {
    assertThat(FlowHash.ofName(name)).isEqualTo(hash);
  }

  static Stream<Arguments> nameHashes() {
    return Stream.of(
        Arguments.of("isp1", 0x1d972370f4079424L),
        Arguments.of("isp2", 0x68e85e5f43c09298L),
        Arguments.of("lte", 0x1b8d48023e025e2aL));
  }

  private static Arguments row(
      String src, int srcPort, String dst, int dstPort, long hash, String order) {
    return Arguments.of(flow(src, srcPort, dst, dstPort), hash, order);
  }
}
