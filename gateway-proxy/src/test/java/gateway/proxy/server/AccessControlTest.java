package gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestDnsServer;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.upstream.UplinkChooser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Never an open proxy: only clients.allow may use it, and it never forwards to itself. */
class AccessControlTest {
  TestOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void clientOutsideClientsAllowGets403NamingItsAddress() throws Exception {
    // Only a config value: no traffic goes to 10.99.0.0/16.
    try (RunningProxy proxy =
        RunningProxy.start(
            TestConfigs.loopback().withClientsAllow(List.of(Cidr.parse("10.99.0.0/16"))))) {
      for (int i = 0; i < 2; i++) {
        try (RawClient c = new RawClient(proxy.address())) {
          c.send(
              "GET "
                  + origin.url("/denied")
                  + " HTTP/1.1\r\nHost: "
                  + origin.authority()
                  + "\r\n\r\n");
          RawClient.Response r = c.read();

          assertThat(r.status()).isEqualTo(403);
          assertThat(r.bodyText())
              .contains("your address 127.0.0.1 is not allowed to use this proxy");
          assertThat(r.header("X-Gateway-Error")).contains("127.0.0.1");
          assertThat(c.closedByPeer()).isTrue();
        }
        AccessRecord rec = proxy.nextRecord();
        assertThat(rec.action()).isEqualTo(CacheAction.TCP_DENIED);
        assertThat(rec.status()).isEqualTo(403);
        assertThat(rec.client()).isEqualTo("127.0.0.1");
      }
      assertThat(origin.requestsSeen()).isZero();
    }
  }

  @Test
  void deniedClientCannotTunnelEither() throws Exception {
    try (RunningProxy proxy =
            RunningProxy.start(
                TestConfigs.loopback()
                    .withClientsAllow(List.of(Cidr.parse("10.99.0.0/16")))
                    .withConnectPorts(Set.of(origin.port())));
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "CONNECT "
              + origin.authority()
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");

      assertThat(c.read().status()).isEqualTo(403);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_DENIED);
    }
  }

  @Test
  void requestToTheGatewayItselfIsRefusedAsALoop() throws Exception {
    try (RunningProxy proxy = RunningProxy.start(TestConfigs.loopback())) {
      String self = "127.0.0.1:" + proxy.port();
      try (RawClient c = new RawClient(proxy.address())) {
        c.send("GET http://" + self + "/ HTTP/1.1\r\nHost: " + self + "\r\n\r\n");
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).contains("forwarding loop: " + self + " is this gateway itself");
      }
      AccessRecord rec = proxy.nextRecord();
      assertThat(rec.action()).isEqualTo(CacheAction.TCP_DENIED);
      // It did not recurse: one request, one record.
      assertThat(proxy.records()).isEmpty();
      assertThat(proxy.server().openConnections()).isLessThanOrEqualTo(1);
      assertStillServes(proxy);
    }
  }

  @Test
  void connectToTheGatewayItselfIsRefusedAsALoop() throws Exception {
    // Listen on a port known in advance and allow CONNECT to it, so only the loop guard stands in
    // the way.
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    try (RunningProxy proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withListen(new HostPort("127.0.0.1", port))
                .withConnectPorts(Set.of(port)))) {
      String self = "127.0.0.1:" + port;
      try (RawClient c = new RawClient(proxy.address())) {
        c.send("CONNECT " + self + " HTTP/1.1\r\nHost: " + self + "\r\n\r\n");
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).contains("forwarding loop: " + self + " is this gateway itself");
      }
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_DENIED);
      assertThat(proxy.records()).isEmpty();
      assertStillServes(proxy);
    }
  }

  /**
   * The admin listener (here the origin stands in for it, registered as one of the gateway's
   * listeners) must not be reachable through the proxy by any spelling of "this host": 0.0.0.0/8
   * and :: are this host (RFC 1122 3.2.1.3, RFC 4291 2.5.2), and connecting to them reaches
   * loopback. The guard decides on the resolved address; a short or hex IPv4 form is refused before
   * that.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0         | 403",
        "000.0.0.0       | 403",
        "0.1.2.3         | 403",
        "[::]            | 403",
        "[::ffff:0.0.0.0]| 403",
        "zero.example    | 403",
        "0               | 400",
        "0x0             | 400",
      })
  void theGatewaysOwnListenersAreUnreachableThroughAnySpellingOfThisHost(String host, int status)
      throws Exception {
    try (TestDnsServer dns = TestDnsServer.start().add("zero.example", "0.0.0.0");
        RunningProxy proxy =
            RunningProxy.start(
                TestConfigs.loopback().withConnectPorts(Set.of(origin.port())),
                UplinkChooser.unbound(),
                List.of(dns.address()))) {
      proxy.loopGuard().addListener(new InetSocketAddress("127.0.0.1", origin.port()));
      String authority = host + ":" + origin.port();
      try (RawClient c = new RawClient(proxy.address())) {
        c.send(
            "GET http://" + authority + "/api/status HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(status);
        if (status == 403) {
          assertThat(r.bodyText()).contains("is this gateway itself");
        }
      }
      assertThat(proxy.nextRecord().status()).isEqualTo(status);
      try (RawClient c = new RawClient(proxy.address())) {
        c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(status);
      }
      assertThat(proxy.nextRecord().status()).isEqualTo(status);
      assertThat(origin.requestsSeen()).isZero();
      assertThat(origin.connections()).isZero();
    }
  }

  @Test
  void requestThatAlreadyPassedThroughThisGatewayIsRefused() throws Exception {
    // RFC 9110 7.6.3: Via lets a proxy recognise a loop through other proxies.
    try (RunningProxy proxy = RunningProxy.start(TestConfigs.loopback());
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET "
              + origin.url("/v")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n"
              + "Via: 1.1 other, 1.1 gateway-test\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.bodyText()).contains("already passed through this gateway");
      assertThat(origin.requestsSeen()).isZero();
      assertStillServes(proxy);
    }
  }

  private void assertStillServes(RunningProxy proxy) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET " + origin.url("/after") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }
}
