package gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code transparent.*} and {@code firewall}: the interception of the LAN's TCP. */
class TransparentConfigTest {
  @TempDir Path dir;

  private static final Duration FIVE_S = Duration.ofSeconds(5);

  @Test
  void byDefaultNothingIsInterceptedAndTheGatewayOwnsItsFirewall() {
    GatewayConfig c = ConfigLoader.embeddedDefault();

    assertThat(c.transparent()).isEqualTo(TransparentConfig.disabled());
    assertThat(c.transparent().intercepts(80)).isFalse();
    assertThat(c.firewall()).isEqualTo(FirewallMode.AUTO);
  }

  static Stream<Arguments> goodInputs() {
    return Stream.of(
        good(
            "enabled: all ports, QUIC blocked, the defaults",
            "transparent.enabled = true",
            new TransparentConfig(true, Set.of(), true, 3130, FIVE_S, 16384)),
        good(
            "all, quoted",
            "transparent { enabled = true, ports = \"all\" }",
            new TransparentConfig(true, Set.of(), true, 3130, FIVE_S, 16384)),
        good(
            "a port list",
            "transparent { enabled = true, ports = [8080, 80, 443] }",
            new TransparentConfig(true, Set.of(80, 443, 8080), true, 3130, FIVE_S, 16384)),
        good(
            "block-quic off",
            "transparent { enabled = true, block-quic = false }",
            new TransparentConfig(true, Set.of(), false, 3130, FIVE_S, 16384)),
        good(
            "block-quic follows enabled unless written",
            "transparent { enabled = false, block-quic = true }",
            new TransparentConfig(false, Set.of(), true, 3130, FIVE_S, 16384)),
        good(
            "the bounds: sni-timeout 60s, sni-max 1KiB",
            "transparent { enabled = true, listen-port = 3140, sni-timeout = 60s, sni-max = 1KiB }",
            new TransparentConfig(true, Set.of(), true, 3140, Duration.ofSeconds(60), 1024)),
        good(
            "sni-max 64KiB, sni-timeout in ms",
            "transparent { enabled = true, sni-timeout = 250ms, sni-max = 64KiB }",
            new TransparentConfig(true, Set.of(), true, 3130, Duration.ofMillis(250), 65536)),
        good(
            "the proxy's port may be 3130 while interception is off",
            "listen = \"0.0.0.0:3130\"",
            TransparentConfig.disabled()));
  }

  private static Arguments good(String kind, String hocon, TransparentConfig expected) {
    return Arguments.of(kind, hocon, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodInputs")
  void eachGoodInputBinds(String kind, String hocon, TransparentConfig expected) throws Exception {
    TransparentConfig t = ConfigLoader.load(write(hocon)).transparent();

    assertThat(t).isEqualTo(expected);
    assertThat(List.copyOf(t.ports())).as("ascending").isSorted();
  }

  @Test
  void interceptsTheListedPortsOrAllWhileEnabled() throws Exception {
    TransparentConfig list =
        ConfigLoader.parse("transparent { enabled = true, ports = [80, 443] }", "t").transparent();
    TransparentConfig all = ConfigLoader.parse("transparent.enabled = true", "t").transparent();
    TransparentConfig off = ConfigLoader.parse("transparent.ports = [80]", "t").transparent();

    assertThat(list.intercepts(80)).isTrue();
    assertThat(list.intercepts(22)).isFalse();
    assertThat(list.allPorts()).isFalse();
    assertThat(all.intercepts(22)).isTrue();
    assertThat(all.allPorts()).isTrue();
    assertThat(off.intercepts(80)).as("not enabled").isFalse();
  }

  @Test
  void firewallManual() throws Exception {
    assertThat(ConfigLoader.parse("firewall = manual", "t").firewall())
        .isEqualTo(FirewallMode.MANUAL);
    assertThat(ConfigLoader.parse("firewall = auto", "t").firewall()).isEqualTo(FirewallMode.AUTO);
  }

  @Test
  void withTransparentAndWithFirewallChangeOnlyThemselves() {
    GatewayConfig c = ConfigLoader.embeddedDefault();
    TransparentConfig on = new TransparentConfig(true, Set.of(443), true, 3130, FIVE_S, 16384);

    GatewayConfig changed = c.withTransparent(on).withFirewall(FirewallMode.MANUAL);

    assertThat(changed.transparent()).isEqualTo(on);
    assertThat(changed.firewall()).isEqualTo(FirewallMode.MANUAL);
    assertThat(changed.withTransparent(c.transparent()).withFirewall(FirewallMode.AUTO))
        .isEqualTo(c);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad(
            "a port out of range",
            "transparent.ports = [80, 70000]",
            1,
            "transparent.ports[1]: must be 1..65535, is 70000"),
        bad("port 0", "transparent.ports = [0]", 1, "transparent.ports[0]: must be 1..65535, is 0"),
        bad(
            "a port listed twice",
            """
            transparent.ports = [
              80,
              443,
              80
            ]""",
            4,
            "transparent.ports[2]: port 80 is already at line 2"),
        bad(
            "a word other than all",
            "transparent.ports = every",
            1,
            "transparent.ports: 'every' is not all or a list of ports (e.g. [80, 443])"),
        bad(
            "one port, not in a list",
            "transparent.ports = 80",
            1,
            "transparent.ports: '80' is not all or a list of ports (e.g. [80, 443])"),
        bad(
            "an empty list",
            "transparent.ports = []",
            1,
            "transparent.ports: an empty list intercepts nothing: write all, the ports,"
                + " or transparent.enabled = false"),
        bad(
            "listen-port out of range",
            "transparent.listen-port = 65536",
            1,
            "transparent.listen-port: must be 1..65535, is 65536"),
        bad(
            "listen-port is the proxy's",
            """
            listen = "0.0.0.0:3128"
            transparent { enabled = true, listen-port = 3128 }""",
            2,
            "transparent.listen-port: 3128 is the proxy's port (listen): the transparent listener"
                + " needs a port of its own"),
        bad(
            "listen-port is the admin port",
            "transparent { enabled = true, listen-port = 3129 }",
            1,
            "transparent.listen-port: 3129 is the admin port (admin.listen): the transparent"
                + " listener needs a port of its own"),
        bad(
            "the default listen-port is the proxy's: reported at listen",
            """
            listen = "0.0.0.0:3130"
            transparent.enabled = true""",
            1,
            "transparent.listen-port: 3130 is the proxy's port (listen): the transparent listener"
                + " needs a port of its own"),
        bad(
            "sni-timeout zero",
            "transparent.sni-timeout = 0s",
            1,
            "transparent.sni-timeout: must be more than 0s, is '0s'"),
        bad(
            "sni-timeout over 60 s",
            "transparent.sni-timeout = 2m",
            1,
            "transparent.sni-timeout: must be at most 60s, is '2m'"),
        bad(
            "sni-timeout without a unit",
            "transparent.sni-timeout = 5",
            1,
            "transparent.sni-timeout: '5' needs a unit (e.g. 1s, 500ms, 5m)"),
        bad(
            "sni-max under 1 KiB",
            "transparent.sni-max = 512",
            1,
            "transparent.sni-max: must be 1024..65536 bytes, is 512"),
        bad(
            "sni-max over 64 KiB",
            "transparent.sni-max = 65KiB",
            1,
            "transparent.sni-max: must be 1024..65536 bytes, is 66560"),
        bad(
            "sni-max not a size",
            "transparent.sni-max = big",
            1,
            "transparent.sni-max: 'big' is not a size (e.g. 64KiB, 256MiB, 10GiB)"),
        bad(
            "enabled not a boolean",
            "transparent.enabled = sometimes",
            1,
            "transparent.enabled: expected true or false, found 'sometimes'"),
        bad(
            "block-quic not a boolean",
            "transparent.block-quic = perhaps",
            1,
            "transparent.block-quic: expected true or false, found 'perhaps'"),
        bad(
            "an unknown key in transparent",
            "transparent.port = [80]",
            1,
            "unknown key 'transparent.port' (did you mean 'ports'?)"),
        bad(
            "firewall another word",
            "firewall = automatic",
            1,
            "firewall: unknown mode 'automatic' (one of: auto, manual)"),
        bad(
            "firewall a near miss",
            "firewall = manaul",
            1,
            "firewall: unknown mode 'manaul' (did you mean 'manual'? one of: auto, manual)"));
  }

  private static Arguments bad(String kind, String hocon, int line, String message) {
    return Arguments.of(kind, hocon, line, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void eachBadInputIsReportedAtItsFileAndLine(String kind, String hocon, int line, String message)
      throws IOException {
    Path file = write(hocon);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(List.of(file + ":" + line + ": " + message));
  }

  private Path write(String hocon) throws IOException {
    Path file = dir.resolve("gateway.conf");
    Files.writeString(file, hocon);
    return file;
  }
}
