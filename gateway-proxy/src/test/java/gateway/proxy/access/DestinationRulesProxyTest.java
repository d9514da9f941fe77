package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.net.Cidr;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestDnsServer;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.upstream.UplinkChooser;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule on the origin's address (the modem's admin page at 127.0.0.2) denies every way of writing
 * that address and every name that resolves to it, for plain HTTP and CONNECT: it is matched after
 * DNS, just before connecting, and the origin never sees the request.
 */
class DestinationRulesProxyTest {
  TestOrigin modem;
  TestOrigin other;
  TestDnsServer dns;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    modem =
        TestOrigin.start(
            "127.0.0.2", (ex, seen) -> TestOrigin.send(ex, 200, "text/plain", "admin"));
    other = TestOrigin.start();
    dns = TestDnsServer.start().add("modem.example", "127.0.0.2").add("other.example", "127.0.0.1");
    proxy = RunningProxy.start(config(true), UplinkChooser.unbound(), List.of(dns.address()));
  }

  GatewayConfig config(boolean withRule) {
    List<AccessRuleConfig> rules =
        withRule
            ? List.of(
                new AccessRuleConfig(
                    "modem-admin",
                    AccessAction.DENY,
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    OptionalLong.empty(),
                    List.of(Cidr.parse("127.0.0.2/32"))))
            : List.of();
    return TestConfigs.loopback()
        .withConnectPorts(Set.of(modem.port(), other.port()))
        .withAccess(rules);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    dns.close();
    modem.close();
    other.close();
  }

  @ParameterizedTest(name = "GET http://{0}:PORT/")
  @ValueSource(
      strings = {
        "127.0.0.2",
        "127.000.000.002",
        "[::ffff:127.0.0.2]",
        "modem.example",
        "MODEM.example."
      })
  void everySpellingOfTheDeniedAddressIsDenied(String host) throws Exception {
    String authority = host + ":" + modem.port();
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://" + authority + "/admin HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.bodyText()).contains("is blocked by the office's access rule 'modem-admin'");
      assertThat(r.header("X-Gateway-Error")).contains("modem-admin");
    }
    AccessRecord record = proxy.nextRecord();
    assertThat(record.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(record.status()).isEqualTo(403);
    assertThat(record.rule()).isEqualTo("modem-admin");
    assertThat(modem.connections()).isZero();
    assertThat(proxy.policies().counters().get("modem-admin").denies()).isEqualTo(1);
  }

  @ParameterizedTest(name = "CONNECT {0}:PORT")
  @ValueSource(strings = {"127.0.0.2", "127.000.000.002", "[::ffff:127.0.0.2]", "modem.example"})
  void everySpellingOfTheDeniedAddressIsDeniedOverConnect(String host) throws Exception {
    String authority = host + ":" + modem.port();
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("X-Gateway-Error")).contains("modem-admin");
    }
    AccessRecord record = proxy.nextRecord();
    assertThat(record.method()).isEqualTo("CONNECT");
    assertThat(record.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(record.status()).isEqualTo(403);
    assertThat(record.rule()).isEqualTo("modem-admin");
    assertThat(modem.connections()).isZero();
  }

  @Test
  void theLogAndTheRulesSeeTheAddressInItsOneSpelling() throws Exception {
    String authority = "127.000.000.002:" + modem.port();
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://" + authority + "/admin HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(403);
    }
    assertThat(proxy.nextRecord().url()).isEqualTo("http://127.0.0.2:" + modem.port() + "/admin");
  }

  @Test
  void otherDestinationsPass() throws Exception {
    String authority = "other.example:" + other.port();
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://" + authority + "/ HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    assertThat(proxy.nextRecord().rule()).isNull();
  }

  @Test
  void aReloadPutsTheRuleInForceAndTakesItOut() throws Exception {
    String authority = "modem.example:" + modem.port();
    String get = "GET http://" + authority + "/admin HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
    proxy.reload(config(false));
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get);
      assertThat(c.read().status()).isEqualTo(200);
    }
    proxy.nextRecord();

    proxy.reload(config(true));
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get);
      assertThat(c.read().status()).isEqualTo(403);
    }
    assertThat(proxy.nextRecord().rule()).isEqualTo("modem-admin");
  }
}
