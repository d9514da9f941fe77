package gateway.core.firewall;

import static gateway.core.firewall.NftRulesetTest.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code ip} commands for the mark, pinned as argv (the kernel's TPROXY documentation). */
class PolicyRoutingTest {

  @Test
  void addSendsTheMarkToALocalRoute() throws Exception {
    assertThat(PolicyRouting.add(plan("")))
        .containsExactly(
            List.of(
                "ip", "rule", "add", "fwmark", "0x100/0x100", "lookup", "100", "priority", "100"),
            List.of("ip", "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table", "100"));
  }

  @Test
  void deleteRemovesExactlyThoseTwo() throws Exception {
    assertThat(PolicyRouting.delete(plan("")))
        .containsExactly(
            List.of(
                "ip", "rule", "del", "fwmark", "0x100/0x100", "lookup", "100", "priority", "100"),
            List.of("ip", "route", "del", "local", "0.0.0.0/0", "dev", "lo", "table", "100"));
  }

  @Test
  void aScriptIsOneCommandPerLine() throws Exception {
    assertThat(PolicyRouting.script(PolicyRouting.add(plan(""))))
        .isEqualTo(
            "ip rule add fwmark 0x100/0x100 lookup 100 priority 100\n"
                + "ip route replace local 0.0.0.0/0 dev lo table 100\n");
  }
}
