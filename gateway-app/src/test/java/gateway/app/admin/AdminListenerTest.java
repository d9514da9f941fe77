package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.app.testing.GatewayProcess;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener of a running gateway, asked over real sockets on this machine. */
class AdminListenerTest {
  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static Map<String, Object> status(LoopbackGateway g) throws Exception {
    var r = g.get("/api/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return (Map<String, Object>) Json.parse(r.body());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> uplink(Map<String, Object> status, int i) {
    return (Map<String, Object>) ((List<Object>) status.get("uplinks")).get(i);
  }

  @Test
  void apiStatusShowsTheUplinkItsProbesAndTheClients() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      assertThat(g.throughProxy("/hello").statusCode()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Map<String, Object> s = status(g);
                Map<String, Object> lo = uplink(s, 0);
                assertThat(lo.get("name")).isEqualTo("lo");
                assertThat(lo.get("state")).isEqualTo("UP");
                assertThat(lo.get("address")).isEqualTo("127.0.0.1");
                assertThat((Double) lo.get("rttMs")).isNotNull().isGreaterThan(0.0);
                assertThat(lo.get("lossPercent")).isEqualTo(0.0);
                assertThat((List<?>) ((Map<?, ?>) lo.get("samples")).get("at")).isNotEmpty();
                // The request went to a loopback origin: the box's own network, no uplink.
                assertThat(((Map<?, ?>) s.get("direct")).get("connections")).isEqualTo(1.0);
                List<?> top = (List<?>) ((Map<?, ?>) s.get("clients")).get("top");
                assertThat(top).hasSize(1);
                assertThat(((Map<?, ?>) top.get(0)).get("address")).isEqualTo("127.0.0.1");
                assertThat(((Map<?, ?>) top.get(0)).get("requests")).isEqualTo(1.0);
                // The embedded default's memory cache: one request, answered by the origin.
                Map<?, ?> cache = (Map<?, ?>) s.get("cache");
                assertThat(cache.get("requests")).isEqualTo(1.0);
                assertThat(cache.get("hits")).isEqualTo(0.0);
                assertThat(cache.get("diskWritesDisabled")).isEqualTo(false);
                assertThat(s.get("version")).isEqualTo(1.0);
              });
    }
  }

  @Test
  void theStatusPageIsOneSelfContainedDocumentWithTheStatusEmbedded() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      var r = g.get("/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(r.body())
          .contains("<title>gateway status</title>")
          .contains("\"name\":\"lo\"")
          .doesNotContain("/*STATUS*/")
          // Nothing from the internet: no external script, style sheet or font.
          .doesNotContain("src=\"http")
          .doesNotContain("href=\"http")
          .doesNotContain("@import");
    }
  }

  @Test
  void metricsArePrometheusTextWithPerUplinkSeries() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                var r = g.get("/metrics");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type").orElse(""))
                    .startsWith("text/plain; version=0.0.4");
                assertThat(r.body())
                    .contains("gateway_uplink_up{uplink=\"lo\"} 1")
                    .contains("gateway_uplink_state{state=\"up\",uplink=\"lo\"} 1")
                    .contains("# TYPE gateway_uplink_rtt_seconds gauge")
                    .contains("gateway_uplink_received_bytes_total{uplink=\"lo\"}")
                    .contains("gateway_uplink_connections_total{uplink=\"lo\"}")
                    .contains("gateway_requests_total{action=\"TCP_MISS\"}")
                    .doesNotContain("gateway_uplink_rtt_seconds{uplink=\"lo\"} NaN");
              });
    }
  }

  @Test
  void aRefusedRequestIsCountedUnderItsReason() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      try (Socket s = new Socket()) {
        s.connect(g.gateway.proxyAddress(), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                "CONNECT example.org:25 HTTP/1.1\r\nHost: example.org:25\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(status).isEqualTo("HTTP/1.1 403");
      }
      var r = g.get("/metrics");
      assertThat(r.body())
          .contains("# TYPE gateway_refusals_total counter")
          .contains("gateway_refusals_total{reason=\"connect_port\"} 1.0")
          .contains("gateway_refusals_total{reason=\"access_rule\"} 0.0");
    }
  }

  @Test
  void thePacFileOnTheAdminPortPointsAtTheProxy() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "pac.direct-fallback = true")) {
      for (String path : List.of("/proxy.pac", "/wpad.dat")) {
        var r = g.get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
            .hasValue("application/x-ns-proxy-autoconfig");
        assertThat(r.body())
            .contains(
                "return \"PROXY 127.0.0.1:" + g.gateway.proxyAddress().getPort() + "; DIRECT\";");
      }
    }
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      assertThat(g.get("/nothing").statusCode()).isEqualTo(404);
      var post =
          g.http.send(
              HttpRequest.newBuilder(URI.create(g.adminUrl("/api/status")))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  /**
   * From an address that is not loopback (this machine's own LAN address, so nothing leaves it) the
   * token is required: without it 401, with it as a bearer header or ?token= the status; the PAC
   * file needs none.
   */
  @Test
  void fromAnotherAddressTheTokenIsRequired() throws Exception {
    Optional<InetAddress> own = ownNonLoopbackAddress();
    Assumptions.assumeTrue(own.isPresent(), "no non-loopback IPv4 address on this machine");
    String token = "0123456789abcdef0123";
    try (LoopbackGateway g =
        new LoopbackGateway(
            dir,
            "admin { listen = \"0.0.0.0:"
                + GatewayProcess.freePort()
                + "\", token = \""
                + token
                + "\" }")) {
      InetSocketAddress to = new InetSocketAddress(own.get(), g.admin().getPort());
      assertThat(rawGet(to, "/api/status", null)).startsWith("HTTP/1.1 401");
      assertThat(rawGet(to, "/api/status", "Bearer wrong-token-of-some-length"))
          .startsWith("HTTP/1.1 401");
      assertThat(rawGet(to, "/api/status", "Bearer " + token)).startsWith("HTTP/1.1 200");
      assertThat(rawGet(to, "/?token=" + token, null)).startsWith("HTTP/1.1 200");
      assertThat(rawGet(to, "/metrics", null)).startsWith("HTTP/1.1 401");
      assertThat(rawGet(to, "/proxy.pac", null)).startsWith("HTTP/1.1 200");
      // Loopback needs no token.
      assertThat(g.get("/api/status").statusCode()).isEqualTo(200);
    }
  }

  static Optional<InetAddress> ownNonLoopbackAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(
            i -> {
              try {
                return i.isUp() && !i.isLoopback();
              } catch (SocketException e) {
                return false;
              }
            })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
  }

  static String rawGet(InetSocketAddress to, String path, String authorization) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(to, 5000);
      s.setSoTimeout(5000);
      String req =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
