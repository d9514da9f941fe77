package gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.ConfigLoader;
import gateway.core.config.GatewayConfig;
import org.junit.jupiter.api.Test;

/** What a reload applies in place and what it leaves for a restart. */
class ReloadSplitTest {
  static GatewayConfig load(String hocon) throws Exception {
    return ConfigLoader.parse(hocon, "gateway.conf");
  }

  @Test
  void rulesGroupsLimitsAndMaxRatesApplyInPlace() throws Exception {
    GatewayConfig before = load("""
        uplinks = [{ name = isp1, address = "198.18.1.2" }]
        """);
    GatewayConfig next = load("""
        uplinks = [{ name = isp1, address = "198.18.1.2", max-rate = 20Mbit }]
        clients.groups = [{ name = guests, networks = ["198.18.88.0/24"] }]
        access = [{ name = r, action = deny, clients = [guests] }]
        limits { client-connections = 10, client-download = 2MiB/s, client-upload = 1Mbit }
        limits.groups = [{ group = guests, group-download = 10Mbit }]
        """);

    assertThat(Reload.needsRestart(before, next)).isEmpty();
    GatewayConfig applied = Reload.applied(before, next);
    assertThat(applied.access()).isEqualTo(next.access());
    assertThat(applied.groups()).isEqualTo(next.groups());
    assertThat(applied.limits()).isEqualTo(next.limits());
    assertThat(applied.uplinks().get(0).maxRate()).isEqualTo(2_500_000);
  }

  @Test
  void otherChangesAreNamedAndLeftAsTheyWere() throws Exception {
    GatewayConfig before = load("""
        uplinks = [{ name = isp1, address = "198.18.1.2" }]
        """);
    GatewayConfig next = load("""
        listen = "0.0.0.0:3128"
        uplinks = [{ name = isp1, address = "198.18.1.3" }]
        limits.headers = 50
        """);

    assertThat(Reload.needsRestart(before, next))
        .containsExactly("listen", "uplinks", "limits.headers");
    GatewayConfig applied = Reload.applied(before, next);
    assertThat(applied.listen()).isEqualTo(before.listen());
    assertThat(applied.uplinks()).isEqualTo(before.uplinks());
    assertThat(applied.limits().headers()).isEqualTo(before.limits().headers());
  }
}
