package gateway.core.firewall;

import static gateway.core.firewall.NftRulesetTest.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.net.Cidr;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirewallPlanTest {

  @Test
  void theConfigsClientsPortsListenerAndQuicBlocking() throws Exception {
    FirewallPlan p =
        plan(
            """
            clients.allow = ["198.18.1.0/24", "fd00::/64", "198.18.2.7"]
            transparent { ports = [443, 80], listen-port = 3140, block-quic = false }""");

    assertThat(p)
        .isEqualTo(
            new FirewallPlan(
                "gateway",
                List.of(Cidr.parse("198.18.1.0/24"), Cidr.parse("198.18.2.7/32")),
                Set.of(80, 443),
                3140,
                0x100,
                0x100,
                100,
                100,
                false));
    assertThat(List.copyOf(p.ports())).containsExactly(80, 443);
    assertThat(p.allPorts()).isFalse();
  }

  @Test
  void quicIsBlockedAndAllPortsTakenByDefaultOnceEnabled() throws Exception {
    FirewallPlan p = plan("");

    assertThat(p.blockQuic()).isTrue();
    assertThat(p.allPorts()).isTrue();
    assertThat(p.tproxyPort()).isEqualTo(3130);
  }

  @Test
  void theRouteTableAndPriorityStayBelowTheUplinksTables() {
    // gateway routes numbers the uplinks' tables and rule priorities from 101 (RoutePlan): the
    // transparent route must neither share a number with them nor come after them.
    assertThat(FirewallPlan.ROUTE_TABLE).isLessThan(101);
    assertThat(FirewallPlan.RULE_PRIORITY).isLessThan(101).isGreaterThan(0);
  }

  @Test
  void anIpv6NetworkOrAMarkOutsideItsMaskIsRefused() {
    assertThatThrownBy(
            () ->
                new FirewallPlan(
                    "gateway",
                    List.of(Cidr.parse("fd00::/64")),
                    Set.of(),
                    3130,
                    0x100,
                    0x100,
                    100,
                    100,
                    true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new FirewallPlan(
                    "gateway", List.of(), Set.of(), 3130, 0x300, 0x100, 100, 100, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
