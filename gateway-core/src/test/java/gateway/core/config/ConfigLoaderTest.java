package gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import gateway.core.access.AccessAction;
import gateway.core.access.TimeWindow;
import gateway.core.net.Cidr;
import gateway.core.net.ClassifierMode;
import gateway.core.net.HostPort;
import gateway.core.net.ProbeTarget;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

  private static List<ProbeTarget> targets(String... texts) {
    return Arrays.stream(texts).map(ProbeTarget::parse).toList();
  }

  @TempDir Path dir;

  @Test
  void theEmbeddedDefaultIsDesignMdsDefault() throws Exception {
    GatewayConfig c = ConfigLoader.embeddedDefault();

    assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 3128));
    assertThat(c.clientsAllow())
        .as("empty: loopback and the listen subnet, worked out at start")
        .isEmpty();
    assertThat(c.uplinks()).as("empty: discovered from the default routes").isEmpty();
    assertThat(c.cache())
        .isEqualTo(new CacheConfig(256L << 20, Optional.empty(), 10L << 30, 512L << 20));
    assertThat(c.adminListen()).isEqualTo(new HostPort("127.0.0.1", 3129));
    assertThat(c.log()).isEqualTo(new LogConfig("-", 65536));
    assertThat(c.log().toStdout()).isTrue();
    assertThat(c.balance())
        .isEqualTo(new BalanceConfig(ClassifierMode.BOTH_ADDRESSES_AND_PORTS, List.of()));
    assertThat(c.health())
        .isEqualTo(
            new HealthConfig(
                targets("tcp://1.1.1.1:53", "tcp://8.8.8.8:53"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                3,
                5,
                1,
                Optional.empty(),
                Optional.empty()));
    assertThat(c.connectPorts()).containsExactly(443);
    assertThat(c.access()).isEmpty();
    assertThat(c.timeouts())
        .isEqualTo(
            new TimeoutsConfig(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(300)));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(8192, 65536, 100));
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ofSeconds(30)));
    assertThat(c.dnsServers()).isEmpty();
    assertThat(c.source()).isEqualTo("embedded default");
  }

  @Test
  void anEmptyFileIsTheEmbeddedDefaultFromThatFile() throws Exception {
    Path file = write("");

    GatewayConfig c = ConfigLoader.load(file);

    assertThat(c.source()).isEqualTo(file.toString());
    assertThat(c.withDnsServers(List.of()))
        .usingRecursiveComparison()
        .ignoringFields("source")
        .isEqualTo(ConfigLoader.embeddedDefault());
  }

  @Test
  void aFullConfigBindsToTheRecords() throws Exception {
    Path file =
        write(
            """
        listen = "198.18.0.1:3128"
        clients.allow = ["198.18.0.0/24", "fd00::/64"]
        uplinks = [
          { name = isp1, address = "198.18.1.2", interface = wan1, weight = 2 }
          { name = isp2, address = "198.18.2.2", interface = wan2, interface-optional = true }
          { name = lte, address = "198.18.3.2", tier = 2 }
        ]
        balance {
          classifier = both-addresses
          pin = [
            { domains = ["bank.example", "*.bank.example"], uplink = isp1 }
            { networks = ["198.19.0.0/16"], classifier = src-address }
          ]
        }
        health {
          targets = ["tcp://198.19.0.1:53", "http://198.19.0.2/generate_204", "dns://198.19.0.3:53/example.org", "icmp://198.19.0.4"]
          interval = 2 s
          timeout = 500ms
          down-after = 2
          up-after = 4
          reliability = 2
          degraded { loss = 20, rtt = 300ms }
        }
        cache {
          memory = 64MiB
          disk { path = "/var/cache/gateway", size = 2GiB }
          max-object-size = 100MiB
        }
        connect.ports = [443, 8443]
        access = [
          { name = no-video, action = deny, domains = ["*.videos.example"], time = "mon-fri 08:00-16:00" }
          { name = to-intranet, action = redirect, domains = ["old.example"], redirect = "http://intranet.example/" }
          { name = everyone, action = allow }
        ]
        log { access = "/var/log/gateway/access.log", access-queue = 1024 }
        admin.listen = "127.0.0.1:9129"
        timeouts { connect = 5s, request-header = 10s, response = 30s, idle = 2m }
        limits { request-line = 4KiB, header-block = 32KiB, headers = 50 }
        shutdown.drain = 0s
        dns.servers = ["198.18.0.53", "[fd00::53]:5353"]
        """);

    GatewayConfig c = ConfigLoader.load(file);

    assertThat(c.listen()).isEqualTo(new HostPort("198.18.0.1", 3128));
    assertThat(c.clientsAllow())
        .containsExactly(Cidr.parse("198.18.0.0/24"), Cidr.parse("fd00::/64"));
    assertThat(c.uplinks())
        .containsExactly(
            new UplinkConfig("isp1", ip("198.18.1.2"), Optional.of("wan1"), 2, 1, false),
            new UplinkConfig("isp2", ip("198.18.2.2"), Optional.of("wan2"), 1, 1, true),
            new UplinkConfig("lte", ip("198.18.3.2"), Optional.empty(), 1, 2, false));
    assertThat(c.balance())
        .isEqualTo(
            new BalanceConfig(
                ClassifierMode.BOTH_ADDRESSES,
                List.of(
                    new PinConfig(
                        List.of("bank.example", "*.bank.example"),
                        List.of(),
                        Optional.of("isp1"),
                        Optional.empty()),
                    new PinConfig(
                        List.of(),
                        List.of(Cidr.parse("198.19.0.0/16")),
                        Optional.empty(),
                        Optional.of(ClassifierMode.SRC_ADDRESS)))));
    assertThat(c.health())
        .isEqualTo(
            new HealthConfig(
                targets(
                    "tcp://198.19.0.1:53",
                    "http://198.19.0.2/generate_204",
                    "dns://198.19.0.3:53/example.org",
                    "icmp://198.19.0.4"),
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                2,
                4,
                2,
                Optional.of(20.0),
                Optional.of(Duration.ofMillis(300))));
    assertThat(c.cache())
        .isEqualTo(
            new CacheConfig(
                64L << 20, Optional.of(Path.of("/var/cache/gateway")), 2L << 30, 100L << 20));
    assertThat(c.connectPorts()).isEqualTo(Set.of(443, 8443));
    assertThat(c.access())
        .containsExactly(
            new AccessRuleConfig(
                "no-video",
                AccessAction.DENY,
                List.of("*.videos.example"),
                Optional.of(TimeWindow.parse("mon-fri 08:00-16:00")),
                Optional.empty()),
            new AccessRuleConfig(
                "to-intranet",
                AccessAction.REDIRECT,
                List.of("old.example"),
                Optional.empty(),
                Optional.of("http://intranet.example/")),
            new AccessRuleConfig(
                "everyone", AccessAction.ALLOW, List.of(), Optional.empty(), Optional.empty()));
    assertThat(c.log()).isEqualTo(new LogConfig("/var/log/gateway/access.log", 1024));
    assertThat(c.adminListen()).isEqualTo(new HostPort("127.0.0.1", 9129));
    assertThat(c.timeouts())
        .isEqualTo(
            new TimeoutsConfig(
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2)));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(4096, 32768, 50));
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ZERO));
    assertThat(c.dnsServers())
        .containsExactly(new HostPort("198.18.0.53", 53), new HostPort("fd00::53", 5353));
    assertThat(c.source()).isEqualTo(file.toString());
  }

  @Test
  void destinationsAreNetworksOfTheResolvedAddress() throws Exception {
    Path file =
        write(
            """
        access = [
          { name = modem-admin, action = deny, destinations = ["192.168.1.1/32", "192.168.2.1", "fd00::/8"] }
          { name = site, action = deny, domains = ["example.org"] }
        ]
        """);

    GatewayConfig c = ConfigLoader.load(file);

    assertThat(c.access().get(0).destinations())
        .containsExactly(
            Cidr.parse("192.168.1.1/32"), Cidr.parse("192.168.2.1/32"), Cidr.parse("fd00::/8"));
    assertThat(c.access().get(0).afterDns()).isTrue();
    assertThat(c.access().get(1).destinations()).isEmpty();
    assertThat(c.access().get(1).afterDns()).isFalse();
  }

  @Test
  void theShippedSampleLoadsWithoutProblems() throws Exception {
    GatewayConfig c = ConfigLoader.load(Path.of("../conf/gateway.conf"));

    assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 3128));
    assertThat(c.uplinks()).extracting(UplinkConfig::name).containsExactly("isp1", "isp2");
  }

  @Test
  void theShippedSampleShowsEveryKey() throws IOException {
    Config sample = ConfigFactory.parseFile(new File("../conf/gateway.conf"));

    // admin.token is a secret: the sample shows it commented out, so nobody copies a known value.
    assertThat(KnownKeys.paths())
        .filteredOn(key -> !key.equals("admin.token"))
        .allSatisfy(key -> assertThat(sample.hasPath(key)).as(key).isTrue());
    assertThat(Files.readString(Path.of("../conf/gateway.conf"))).contains("# token = ");
  }

  @Test
  void theDefaultsResourceHasOnlyKnownKeys() {
    Config defaults = ConfigFactory.parseResources("gateway-defaults.conf");
    Problems problems = new Problems("gateway-defaults.conf");

    KnownKeys.checkUnknown(defaults.root(), problems);

    assertThat(problems.formatted()).isEmpty();
  }

  @Test
  void substitutionsResolveAgainstTheDefaults() throws Exception {
    GatewayConfig c = ConfigLoader.parse("cache.max-object-size = ${cache.memory}", "test.conf");

    assertThat(c.cache().maxObjectBytes()).isEqualTo(256L << 20);
  }

  @Test
  void hoconStringsAreReportedUnderTheirOriginName() {
    assertThatThrownBy(() -> ConfigLoader.parse("\n\nlisten = nowhere", "inline.conf"))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(
            List.of(
                "inline.conf:3: listen: 'nowhere': a port is required"
                    + " (write address:port, e.g. 127.0.0.1:3128)"));
  }

  /** One bad input each; the number is the line of the problem in the snippet. */
  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad(
            "unknown key, near miss of a sibling",
            """
            health {
              intervall = 2s
            }""",
            2,
            "unknown key 'health.intervall' (did you mean 'interval'?)"),
        bad(
            "unknown key, camelCase for kebab-case",
            """
            health.downAfter = 2""",
            1,
            "unknown key 'health.downAfter' (did you mean 'down-after'?)"),
        bad(
            "unknown key, written at the wrong level",
            """
            interval = 2s""",
            1,
            "unknown key 'interval' (did you mean 'health.interval'?)"),
        bad(
            "unknown key, nothing like it",
            """
            colour = blue""",
            1,
            "unknown key 'colour'"),
        bad(
            "unknown key in a list element",
            """
            uplinks = [
              { name = isp1, address = "198.18.1.2", wieght = 2 }
            ]""",
            2,
            "unknown key 'uplinks[0].wieght' (did you mean 'weight'?)"),
        bad(
            "wrong type: a list where a string goes",
            """
            listen = ["0.0.0.0:3128"]""",
            1,
            "listen: expected a string, found a list"),
        bad(
            "wrong type: a string where a list goes",
            """
            clients.allow = "198.18.0.0/24\"""",
            1,
            "clients.allow: expected a list [ ... ], found a string"),
        bad(
            "wrong type: a number where a section goes",
            """
            health = 5""",
            1,
            "health: expected an object { ... }, found a number"),
        bad(
            "wrong type: not a number",
            """
            health.down-after = three""",
            1,
            "health.down-after: expected a whole number, found 'three'"),
        bad(
            "wrong type: not a boolean",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2", interface-optional = maybe }]""",
            1,
            "uplinks[0].interface-optional: expected true or false, found 'maybe'"),
        bad(
            "bad CIDR",
            """
            clients.allow = [
              "198.18.0.0/24",
              "198.18.0.0/33"
            ]""",
            3,
            "clients.allow[1]: '198.18.0.0/33': prefix must be 0..32"),
        bad(
            "a name is not a CIDR",
            """
            clients.allow = [office.example]""",
            1,
            "clients.allow[0]: 'office.example' is not an IP address or CIDR"),
        bad(
            "bad host:port, no port",
            """
            listen = "0.0.0.0\"""",
            1,
            "listen: '0.0.0.0': a port is required (write address:port, e.g. 127.0.0.1:3128)"),
        bad(
            "bad host:port, a name",
            """
            admin.listen = "localhost:3129\"""",
            1,
            "admin.listen: 'localhost:3129': 'localhost' is not an IP address"),
        bad(
            "admin on a LAN address without a token",
            """
            admin.listen = "0.0.0.0:3129\"""",
            1,
            "admin.listen: 0.0.0.0:3129 can be reached from other machines: set admin.token (at least 16"
                + " characters) or listen on 127.0.0.1"),
        bad(
            "an admin token too short",
            """
            admin { listen = "0.0.0.0:3129", token = secret }""",
            1,
            "admin.token: must be at least 16 printable characters without spaces (e.g. the output of"
                + " 'openssl rand -hex 24')"),
        bad(
            "pac.direct-fallback not a boolean",
            """
            pac.direct-fallback = sometimes""",
            1,
            "pac.direct-fallback: expected true or false, found 'sometimes'"),
        bad(
            "port out of range in listen",
            """
            listen = "0.0.0.0:70000\"""",
            1,
            "listen: '0.0.0.0:70000': port 70000 out of range (write address:port, e.g. 127.0.0.1:3128)"),
        bad(
            "port out of range in connect.ports",
            """
            connect.ports = [443, 0]""",
            1,
            "connect.ports[1]: must be 1..65535, is 0"),
        bad(
            "bad dns server",
            """
            dns.servers = ["resolver.example"]""",
            1,
            "dns.servers[0]: 'resolver.example': 'resolver.example' is not an IP address"),
        bad(
            "bad duration",
            """
            health.interval = fast""",
            1,
            "health.interval: 'fast' is not a duration (e.g. 1s, 500ms, 5m)"),
        bad(
            "a duration without its unit",
            """
            timeouts.idle = 300""",
            1,
            "timeouts.idle: '300' needs a unit (e.g. 1s, 500ms, 5m)"),
        bad(
            "a zero duration",
            """
            health.timeout = 0s""",
            1,
            "health.timeout: must be more than 0s, is '0s'"),
        bad(
            "bad size",
            """
            cache.memory = 256 megs""",
            1,
            "cache.memory: '256 megs' is not a size (e.g. 64KiB, 256MiB, 10GiB)"),
        bad(
            "a size too big for a header limit",
            """
            limits.header-block = 3GiB""",
            1,
            "limits.header-block: must be at most 2147483647 bytes, is 3221225472"),
        bad(
            "weight below 1",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2", weight = 0 }]""",
            1,
            "uplinks[0].weight: must be 1..1000, is 0"),
        bad(
            "tier below 1",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2", tier = 0 }]""",
            1,
            "uplinks[0].tier: must be 1..100, is 0"),
        bad(
            "uplink address is not an IP literal",
            """
            uplinks = [{ name = isp1, address = modem.example }]""",
            1,
            "uplinks[0].address: 'modem.example' is not an IP address"),
        bad(
            "uplink without a name",
            """
            uplinks = [{ address = "198.18.1.2" }]""",
            1,
            "uplinks[0]: 'name' is required"),
        bad(
            "duplicate uplink name",
            """
            uplinks = [
              { name = isp1, address = "198.18.1.2" }
              { name = isp1, address = "198.18.2.2" }
            ]""",
            3,
            "uplinks[1].name: uplink 'isp1' is already defined at line 2"),
        bad(
            "duplicate uplink address",
            """
            uplinks = [
              { name = isp1, address = "198.18.1.2" }
              { name = isp2, address = "198.18.1.2" }
            ]""",
            3,
            "uplinks[1].address: 198.18.1.2 is already the address of the uplink at line 2"),
        bad(
            "unknown classifier",
            """
            balance.classifier = both-address""",
            1,
            "balance.classifier: unknown classifier 'both-address' (did you mean 'both-addresses'? one of: "
                + "src-address, dst-address, both-addresses, src-port, dst-port, both-ports, "
                + "src-address-and-port, dst-address-and-port, both-addresses-and-ports)"),
        bad(
            "pin naming an unknown uplink",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2" }]
            balance.pin = [
              { domains = [bank.example], uplink = isp3 }
            ]""",
            3,
            "balance.pin[0].uplink: unknown uplink 'isp3' (uplinks: isp1)"),
        bad(
            "pin with neither domains nor networks",
            """
            balance.pin = [
              { classifier = src-address }
            ]""",
            2,
            "balance.pin[0]: a pin needs 'domains' or 'networks' (or both)"),
        bad(
            "pin with both uplink and classifier",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2" }]
            balance.pin = [
              { networks = ["198.19.0.0/16"], uplink = isp1, classifier = src-address }
            ]""",
            3,
            "balance.pin[0]: a pin needs exactly one of 'uplink' or 'classifier'"),
        bad(
            "zero limit",
            """
            limits.headers = 0""",
            1,
            "limits.headers: must be at least 1, is 0"),
        bad(
            "negative queue",
            """
            log.access-queue = -1""",
            1,
            "log.access-queue: must be at least 1, is -1"),
        bad(
            "unknown access action",
            """
            access = [{ name = x, action = block }]""",
            1,
            "access[0].action: unknown action 'block' (one of: allow, deny, redirect)"),
        bad(
            "redirect without a URL",
            """
            access = [
              { name = x, action = redirect, domains = [a.example] }
            ]""",
            2,
            "access[0]: action = redirect needs a 'redirect' URL"),
        bad(
            "duplicate access rule name",
            """
            access = [
              { name = x, action = deny }
              { name = x, action = allow }
            ]""",
            3,
            "access[1].name: access rule 'x' is already defined at line 2"),
        bad(
            "a misplaced wildcard",
            """
            access = [{ name = x, action = deny, domains = ["*videos.example"] }]""",
            1,
            "access[0].domains[0]: '*videos.example' is not a domain pattern"
                + " (write example.org, or *.example.org for its subdomains)"),
        bad(
            "an IPv4 address in an access rule's domains",
            """
            access = [
              { name = modem, action = deny, domains = ["example.org", "192.168.1.1"] }
            ]""",
            2,
            "access[0].domains[1]: \"192.168.1.1\" in domains is an address:"
                + " use destinations = [\"192.168.1.1/32\"]"),
        bad(
            "an address with harmless leading zeros in domains",
            """
            access = [{ name = modem, action = deny, domains = ["127.000.000.002"] }]""",
            1,
            "access[0].domains[0]: \"127.000.000.002\" in domains is an address:"
                + " use destinations = [\"127.0.0.2/32\"]"),
        bad(
            "an IPv6 address in domains",
            """
            access = [{ name = modem, action = deny, domains = ["fd00::1"] }]""",
            1,
            "access[0].domains[0]: \"fd00::1\" in domains is an address: use destinations = [\"fd00::1/128\"]"),
        bad(
            "a hex address in domains",
            """
            access = [{ name = modem, action = deny, domains = ["0x7f.0.0.1"] }]""",
            1,
            "access[0].domains[0]: '0x7f.0.0.1' is not an IPv4 address as four decimal numbers 0-255"
                + " (octal, hex and short forms are read differently by different programs)"),
        bad(
            "an address in a pin's domains",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2" }]
            balance.pin = [{ domains = ["198.19.0.1"], uplink = isp1 }]""",
            2,
            "balance.pin[0].domains[0]: \"198.19.0.1\" in domains is an address:"
                + " use networks = [\"198.19.0.1/32\"]"),
        bad(
            "a name in destinations",
            """
            access = [{ name = modem, action = deny, destinations = ["modem.example"] }]""",
            1,
            "access[0].destinations[0]: 'modem.example' is not an IP address or CIDR"),
        bad(
            "a prefix too long in destinations",
            """
            access = [
              { name = modem, action = deny
                destinations = ["192.168.1.1/32", "192.168.2.1/33"] }
            ]""",
            3,
            "access[0].destinations[1]: '192.168.2.1/33': prefix must be 0..32"),
        bad(
            "destinations on an allow rule",
            """
            access = [
              { name = lan, action = allow, destinations = ["10.0.0.0/8"] }
            ]""",
            2,
            "access[0]: destinations are known only after DNS, just before connecting, when"
                + " the only thing left to do is deny: they need action = deny, this rule's action is allow"),
        bad(
            "destinations with content-types",
            """
            access = [
              { name = x, action = deny, content-types = ["video/*"]
                destinations = ["10.0.0.0/8"] }
            ]""",
            3,
            "access[0]: destinations (decided before connecting) and content-types or max-size"
                + " (decided at the response) cannot share a rule: write two rules"),
        bad(
            "reliability above the number of targets",
            """
            health {
              targets = ["tcp://198.19.0.1:53"]
              reliability = 2
            }""",
            3,
            "health.reliability: 2 targets must answer, but health.targets has only 1"),
        bad(
            "unknown probe scheme",
            """
            health.targets = ["udp://198.19.0.1:53"]""",
            1,
            "health.targets[0]: 'udp://198.19.0.1:53': unknown probe scheme 'udp'"
                + " (write tcp://host:port, http://host/path, dns://ip:53/name or icmp://ip)"),
        bad(
            "an uplink's own probe target with an unknown scheme",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2", health-targets = ["udp://198.19.0.1:53"] }]""",
            1,
            "uplinks[0].health-targets[0]: 'udp://198.19.0.1:53': unknown probe scheme 'udp'"
                + " (write tcp://host:port, http://host/path, dns://ip:53/name or icmp://ip)"),
        bad(
            "an uplink's own resolver that is a name",
            """
            uplinks = [{ name = isp1, address = "198.18.1.2", dns = ["dns.isp.example"] }]""",
            1,
            "uplinks[0].dns[0]: 'dns.isp.example': 'dns.isp.example' is not an IP address"),
        bad(
            "an access rule's time window that is not one",
            """
            access = [{ name = lunch, action = deny, domains = ["videos.example"], time = "mon-fri 12:00-25:00" }]""",
            1,
            "access[0].time: 'mon-fri 12:00-25:00': '25:00' is not a time of day"),
        bad(
            "an access rule's method that is not a method",
            """
            access = [{ name = m, action = deny, methods = ["GET /"] }]""",
            1,
            "access[0].methods[0]: 'GET /' is not a request method (e.g. GET, POST, CONNECT)"),
        bad(
            "an access rule's url-regex that does not compile",
            """
            access = [{ name = r, action = deny, url-regex = ["(unclosed"] }]""",
            1,
            "access[0].url-regex[0]: '(unclosed' is not a regular expression: Unclosed group"),
        bad(
            "tcp probe without a port",
            """
            health.targets = ["tcp://198.19.0.1"]""",
            1,
            "health.targets[0]: 'tcp://198.19.0.1': a tcp probe needs a port, e.g. tcp://198.19.0.1:53"),
        bad(
            "an http probe whose fragment is not a status",
            """
            health.targets = ["http://198.19.0.2/generate_204#ok"]""",
            1,
            "health.targets[0]: 'http://198.19.0.2/generate_204#ok': the fragment, if any, is the expected"
                + " status (100..599)"),
        bad(
            "no probe targets",
            """
            health.targets = []""",
            1,
            "health.targets: at least one probe target is needed"),
        bad(
            "null for a key that needs a value",
            """
            listen = null""",
            1,
            "listen: needs a value, not null"),
        bad(
            "a substitution that resolves to nothing",
            """
            listen = "0.0.0.0:3128"
            admin.listen = ${admin-address}""",
            2,
            "Could not resolve substitution to a value: ${admin-address}"),
        bad(
            "HOCON syntax error",
            """
            listen = "0.0.0.0:3128"
            health {
              interval = 1s
            """,
            4,
            "unexpected end of file: is a '{' or '[' not closed?"),
        bad(
            "HOCON syntax error in the middle",
            """
            listen = "0.0.0.0:3128"
            uplinks = [
              { name = isp1, address = "198.18.1.2" ]
            ]""",
            3,
            "Expecting close brace } or a comma, got ']'"));
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

  @Test
  void everyProblemInAFileIsReportedInLineOrder() throws IOException {
    Path file =
        write(
            """
        listen = "0.0.0.0:3128"
        uplinks = [
          { name = isp1, address = "198.18.1.2", weight = 0 }
          { name = isp1, address = "198.18.2.2" }
        ]
        health {
          intervall = 1s
          timeout = fast
        }
        cache.memory = lots
        balance.pin = [{ domains = [bank.example], uplink = nowhere }]
        """);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(
            List.of(
                file + ":3: uplinks[0].weight: must be 1..1000, is 0",
                file + ":4: uplinks[1].name: uplink 'isp1' is already defined at line 3",
                file + ":7: unknown key 'health.intervall' (did you mean 'interval'?)",
                file + ":8: health.timeout: 'fast' is not a duration (e.g. 1s, 500ms, 5m)",
                file + ":10: cache.memory: 'lots' is not a size (e.g. 64KiB, 256MiB, 10GiB)",
                file + ":11: balance.pin[0].uplink: unknown uplink 'nowhere' (uplinks: isp1)"));
  }

  @Test
  void theExceptionMessageIsOneProblemPerLine() throws IOException {
    Path file = write("listen = x\nadmin.listen = y\n");

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .hasMessage(
            file
                + ":1: listen: 'x': a port is required (write address:port, e.g. 127.0.0.1:3128)\n"
                + file
                + ":2: admin.listen: 'y': a port is required (write address:port, e.g. 127.0.0.1:3128)");
  }

  @Test
  void aMissingFileIsOneProblem() {
    Path file = dir.resolve("absent.conf");

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(List.of(file + ": no such file"));
  }

  @Test
  void aDurationMayHaveASpaceBeforeItsUnit() throws Exception {
    assertThat(ConfigLoader.parse("health.interval = 1 s", "t").health().interval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theDefaultConfigFileIsTheSystemOneWhenItExists() {
    assertThat(ConfigLoader.defaultConfigFile())
        .isEqualTo(
            Files.exists(Path.of("/etc/gateway/gateway.conf"))
                ? Optional.of(Path.of("/etc/gateway/gateway.conf"))
                : Optional.empty());
  }

  private Path write(String hocon) throws IOException {
    Path file = dir.resolve("gateway.conf");
    Files.writeString(file, hocon);
    return file;
  }

  private static InetAddress ip(String literal) throws IOException {
    return InetAddress.getByAddress(Cidr.parseLiteral(literal).orElseThrow());
  }
}
