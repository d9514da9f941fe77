package gateway.pcc.bind;

import static gateway.pcc.bind.DefaultRouteDiscoveryTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.Uplink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePlanTest {

  static final Uplink ISP1 = new Uplink("isp1", address("192.168.1.2"), Optional.of("eth1"), 2, 1);
  static final Uplink ISP2 = new Uplink("isp2", address("192.168.2.2"), Optional.of("eth2"), 1, 1);
  static final Uplink LTE = new Uplink("lte", address("10.64.0.2"), Optional.empty(), 1, 2);
  static final Uplink V6 = new Uplink("isp6", address("2001:db8:6::2"), Optional.of("eth6"), 1, 1);

  static final List<DefaultRoute> ROUTES =
      List.of(
          new DefaultRoute("eth1", Optional.of(address("192.168.1.1")), 100),
          new DefaultRoute("wwan0", Optional.empty(), 300));

  static RoutePlan plan() {
    return RoutePlan.of(
        List.of(ISP1, ISP2, LTE, V6),
        ROUTES,
        a -> a.equals(address("10.64.0.2")) ? Optional.of("wwan0") : Optional.empty());
  }

  @Test
  void goldenScript() {
    assertThat(plan().text())
        .isEqualTo(
            """
        # isp1: from 192.168.1.2 out of eth1 via 192.168.1.1 (table 101)
        ip rule add from 192.168.1.2 table 101 priority 101
        ip route replace default via 192.168.1.1 dev eth1 table 101
        # isp2: from 192.168.2.2 out of eth2 via <gateway-of-isp2> (table 102)
        ip rule add from 192.168.2.2 table 102 priority 102
        ip route replace default via <gateway-of-isp2> dev eth2 table 102
        # lte: from 10.64.0.2 out of wwan0 (table 103)
        ip rule add from 10.64.0.2 table 103 priority 103
        ip route replace default dev wwan0 table 103
        # isp6: from 2001:db8:6::2 out of eth6 via <gateway-of-isp6> (table 104)
        ip -6 rule add from 2001:db8:6::2 table 104 priority 104
        ip -6 route replace default via <gateway-of-isp6> dev eth6 table 104
        """);
  }

  @Test
  void anUplinkWhoseInterfaceIsUnknownGetsPlaceholders() {
    Uplink bare = new Uplink("isp9", address("198.18.9.2"), Optional.empty(), 1, 1);
    assertThat(RoutePlan.of(List.of(bare), List.of(), a -> Optional.empty()).lines())
        .containsExactly(
            "# isp9: from 198.18.9.2 out of <interface-of-isp9> via <gateway-of-isp9> (table 101)",
            "ip rule add from 198.18.9.2 table 101 priority 101",
            "ip route replace default via <gateway-of-isp9> dev <interface-of-isp9> table 101");
  }

  /**
   * {@code ip rule show} of a box where the plan is installed (isp2's table aliased in rt_tables).
   */
  static final List<String> INSTALLED =
      List.of(
          "0:\tfrom all lookup local",
          "101:\tfrom 192.168.1.2 lookup 101",
          "102:\tfrom 192.168.2.2 lookup isp2 proto static",
          "103:\tfrom 10.64.0.2 lookup 103",
          "104:\tfrom 2001:db8:6::2 lookup 104",
          "32766:\tfrom all lookup main",
          "32767:\tfrom all lookup default");

  @Test
  void installedRulesAreRecognised() {
    assertThat(plan().missingRules(INSTALLED)).isEmpty();
    assertThat(plan().isInstalled(INSTALLED)).isTrue();
  }

  @Test
  void aFreshBoxMissesEveryRule() {
    List<String> fresh =
        List.of(
            "0:\tfrom all lookup local",
            "32766:\tfrom all lookup main",
            "32767:\tfrom all lookup default");
    assertThat(plan().isInstalled(fresh)).isFalse();
    assertThat(plan().missingRules(fresh))
        .containsExactly(
            "ip rule add from 192.168.1.2 table 101 priority 101",
            "ip rule add from 192.168.2.2 table 102 priority 102",
            "ip rule add from 10.64.0.2 table 103 priority 103",
            "ip -6 rule add from 2001:db8:6::2 table 104 priority 104");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "101:\tfrom 192.168.1.2 lookup 102", // wrong table
        "101:\tfrom 192.168.1.20 lookup 101", // another address
        "40000:\tfrom 192.168.1.2 lookup 101", // after the main table: never reached
        "101:\tfrom 192.168.1.0/24 lookup 101", // a network, not the address
        "101:\tfrom 192.168.1.2 iif eth0 lookup 101", // narrower than the plan
        "101:\tnot from 192.168.1.2 lookup 101",
        "from 192.168.1.2 lookup 101",
      })
  void theseDoNotInstallIsp1sRule(String line) {
    List<String> show = INSTALLED.stream().filter(l -> !l.startsWith("101:")).toList();
    List<String> withLine = new ArrayList<>(show);
    withLine.add(line);
    assertThat(plan().missingRules(withLine))
        .containsExactly("ip rule add from 192.168.1.2 table 101 priority 101");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "101:\tfrom 192.168.1.2 lookup 101",
        "101:  from 192.168.1.2/32 lookup 101",
        "5:\tfrom 192.168.1.2 lookup isp1",
        "101:\tfrom 192.168.1.2 table 101",
      })
  void theseDo(String line) {
    List<String> show =
        new ArrayList<>(INSTALLED.stream().filter(l -> !l.startsWith("101:")).toList());
    show.add(line);
    assertThat(plan().isInstalled(show)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "2001:db8:6:0:0:0:0:2, 2001:db8:6::2",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "192.168.1.2, 192.168.1.2",
  })
  void addressesArePrintedAsIpPrintsThem(String address, String text) {
    assertThat(RoutePlan.addressText(address(address))).isEqualTo(text);
  }
}
