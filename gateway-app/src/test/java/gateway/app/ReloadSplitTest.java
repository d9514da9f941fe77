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
  void everythingButTheListenersAndTheCacheAppliesInPlace() throws Exception {
    GatewayConfig before =
        load(
            """
        uplinks = [{ name = isp1, address = "198.18.1.2" }]
        """);
    GatewayConfig next =
        load(
            """
        clients.allow = ["198.18.88.0/24"]
        uplinks = [
          { name = isp1, address = "198.18.1.3", weight = 2, max-rate = 20Mbit }
          { name = isp2, address = "198.18.2.2", tier = 2, health-targets = ["tcp://198.18.9.9:53"] }
        ]
        balance { classifier = both-addresses, pin = [{ domains = ["bank.example"], uplink = isp2 }] }
        health { targets = ["tcp://198.18.9.1:53"], interval = 2s, timeout = 500ms, down-after = 2, up-after = 3 }
        connect.ports = [443, 8443]
        clients.groups = [{ name = guests, networks = ["198.18.88.0/24"] }]
        access = [{ name = r, action = deny, clients = [guests] }]
        timeouts { connect = 3s, idle = 60s }
        limits { request-line = 4KiB, headers = 50, client-connections = 10, client-download = 2MiB/s }
        limits.groups = [{ group = guests, group-download = 10Mbit }]
        log.access = "/tmp/elsewhere.log"
        pac.direct-fallback = true
        dns.servers = ["198.18.9.53"]
        admin.token = "a-token-of-sixteen-or-more"
        shutdown.drain = 5s
        """);

    assertThat(Reload.needsRestart(before, next)).isEmpty();
    GatewayConfig applied = Reload.applied(before, next);
    assertThat(applied).isEqualTo(next);
  }

  @Test
  void theListenersAndTheCacheAreNamedAndLeftAsTheyWere() throws Exception {
    GatewayConfig before =
        load(
            """
        uplinks = [{ name = isp1, address = "198.18.1.2" }]
        """);
    GatewayConfig next =
        load(
            """
        listen = "0.0.0.0:3128"
        admin.listen = "127.0.0.1:3130"
        cache.memory = 16MiB
        uplinks = [{ name = isp1, address = "198.18.1.3" }]
        connect.ports = [443, 563]
        """);

    assertThat(Reload.needsRestart(before, next))
        .containsExactly("listen", "admin.listen", "cache");
    GatewayConfig applied = Reload.applied(before, next);
    assertThat(applied.listen()).isEqualTo(before.listen());
    assertThat(applied.adminListen()).isEqualTo(before.adminListen());
    assertThat(applied.cache()).isEqualTo(before.cache());
    assertThat(applied.uplinks()).isEqualTo(next.uplinks());
    assertThat(applied.connectPorts()).isEqualTo(next.connectPorts());
  }
}
