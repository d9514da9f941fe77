package gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.ConfigLoader;
import gateway.pcc.bind.DeviceBinding;
import gateway.pcc.health.HealthState;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Gateway#reload} on a whole gateway in this JVM: uplinks on loopback addresses, probed at a
 * loopback origin (nothing leaves the machine). Each reloaded part applies to what starts after the
 * reload; what was open goes on.
 */
class GatewayReloadTest {
  @TempDir Path dir;
  TestOrigin origin;
  Path config;
  Gateway gateway;
  String head;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    config = dir.resolve("gateway.conf");
    head =
        """
        listen = "127.0.0.1:%d"
        admin.listen = "127.0.0.1:%d"
        log.access = "%s"
        shutdown.drain = 1s
        """
            .formatted(freePort(), freePort(), dir.resolve("access.log"));
    gateway =
        Gateway.start(
            ConfigLoader.load(
                write(
                    """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
                        .formatted(origin.port()))));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.stop();
    origin.close();
  }

  Path write(String rest) throws IOException {
    Files.writeString(config, head + rest);
    return config;
  }

  void reload(String rest) throws Exception {
    gateway.reload(ConfigLoader.load(write(rest)));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  HealthState state(String uplink) {
    return gateway.health().states().get(uplink).state();
  }

  @Test
  void anAddedUplinkCarriesNewConnectionsOnlyOnceItsProbesPassed() throws Exception {
    reload(
        """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" }, { name = lo2, address = "127.0.0.2", weight = 2 }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
            .formatted(origin.port()));

    assertThat(gateway.selection().uplinks())
        .extracting(u -> u.name())
        .containsExactly("lo", "lo2");
    assertThat(gateway.selection().available())
        .as("not before it proved itself")
        .containsExactly("lo");
    await("lo2 joins after its good rounds", () -> gateway.selection().available().contains("lo2"));
    assertThat(state("lo2")).isEqualTo(HealthState.UP);
    assertThat(gateway.health().states().get("lo2").history())
        .as("DOWN to UP after up-after rounds")
        .hasSize(1);
    assertThat(state("lo")).isEqualTo(HealthState.UP);
  }

  @Test
  void anAddedUplinkWhoseProbesFailNeverCarriesAConnection() throws Exception {
    int closed = freePort();
    reload(
        """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" },
          { name = broken, address = "127.0.0.3", health-targets = ["tcp://127.0.0.1:%d"] }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
            .formatted(closed, origin.port()));

    Thread.sleep(1000); // ten rounds
    assertThat(state("broken")).isEqualTo(HealthState.DOWN);
    assertThat(gateway.selection().available()).containsExactly("lo");
  }

  @Test
  void aRemovedUplinkGetsNoNewConnectionsAndAWeightChangeKeepsTheState() throws Exception {
    reload(
        """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" }, { name = lo2, address = "127.0.0.2" }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
            .formatted(origin.port()));
    await("lo2 joins", () -> gateway.selection().available().contains("lo2"));

    reload(
        """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo2, address = "127.0.0.2", weight = 5 }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
            .formatted(origin.port()));

    assertThat(gateway.selection().uplinks()).extracting(u -> u.name()).containsExactly("lo2");
    assertThat(gateway.selection().available()).as("kept its UP state").containsExactly("lo2");
    assertThat(gateway.selection().uplinks().get(0).weight()).isEqualTo(5);
    assertThat(gateway.health().states()).containsOnlyKeys("lo2");
  }

  @Test
  void aNewConnectPortAppliesToTheNextConnect() throws Exception {
    try (ServerSocket target = new ServerSocket(0)) {
      InetSocketAddress proxy = gateway.proxyAddress();
      assertThat(connect(proxy, target.getLocalPort())).isEqualTo(403);
      reload(
          """
          clients.allow = ["127.0.0.0/8"]
          uplinks = [{ name = lo, address = "127.0.0.1" }]
          health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
          connect.ports = [443, %d]
          """
              .formatted(origin.port(), target.getLocalPort()));
      assertThat(connect(proxy, target.getLocalPort())).isEqualTo(200);
    }
  }

  @Test
  void aChangedClientsAllowAppliesToNewConnectionsAndOpenOnesGoOn() throws Exception {
    try (RawClient open = new RawClient(gateway.proxyAddress())) {
      assertThat(get(open, "/before").status()).isEqualTo(200);
      reload(
          """
          clients.allow = ["198.18.88.0/24"]
          uplinks = [{ name = lo, address = "127.0.0.1" }]
          health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
          """
              .formatted(origin.port()));
      try (RawClient fresh = new RawClient(gateway.proxyAddress())) {
        assertThat(get(fresh, "/after").status())
            .as("a new connection from loopback")
            .isEqualTo(403);
      }
      assertThat(get(open, "/still").status()).as("the open connection goes on").isEqualTo(200);
    }
  }

  @Test
  void aNewAccessLogPathTakesTheNextLines() throws Exception {
    try (RawClient c = new RawClient(gateway.proxyAddress())) {
      assertThat(get(c, "/first").status()).isEqualTo(200);
    }
    Path moved = dir.resolve("logs").resolve("access.log");
    head = head.replace(dir.resolve("access.log").toString(), moved.toString());
    reload(
        """
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
            .formatted(origin.port()));
    try (RawClient c = new RawClient(gateway.proxyAddress())) {
      assertThat(get(c, "/second").status()).isEqualTo(200);
    }
    await("the line in the new file", () -> read(moved).contains("/second"));
    await(
        "the old file has the first line",
        () -> read(dir.resolve("access.log")).contains("/first"));
    assertThat(read(dir.resolve("access.log"))).doesNotContain("/second");
  }

  @Test
  void anInterfaceThatCannotBeBoundRefusesTheWholeReload() throws Exception {
    Assumptions.assumeTrue(DeviceBinding.check("no-such-dev0").isPresent());
    Assertions.assertThatThrownBy(
            () ->
                reload(
                    """
        clients.allow = ["198.18.88.0/24"]
        uplinks = [{ name = lo, address = "127.0.0.1", interface = no-such-dev0 }]
        health { targets = ["tcp://127.0.0.1:%d"], interval = 100ms, up-after = 3 }
        """
                        .formatted(origin.port())))
        .hasMessageContaining("uplink lo");
    try (RawClient c = new RawClient(gateway.proxyAddress())) {
      assertThat(get(c, "/kept").status()).as("clients.allow as it was").isEqualTo(200);
    }
    assertThat(gateway.config().clientsAllow())
        .extracting(Object::toString)
        .containsExactly("127.0.0.0/8");
  }

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawClient.Response get(RawClient c, String path) throws IOException {
    c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c.read();
  }

  static int connect(InetSocketAddress proxy, int port) throws IOException {
    try (RawClient c = new RawClient(proxy)) {
      c.send("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
      return c.readHead().status();
    }
  }
}
