package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.LimitsConfig;
import gateway.core.config.TimeoutsConfig;
import gateway.core.log.AccessRecord;
import gateway.proxy.answer.ErrorPage;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestDnsServer;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.upstream.UplinkChooser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the gateway cannot or will not forward get a clear answer: the status, the reason in the
 * page and in {@code X-Gateway-Error}. After each, the gateway still serves the next request.
 */
class ErrorResponsesTest {
  static final LimitsConfig LIMITS = new LimitsConfig(1024, 4096, 20);

  TestOrigin origin;
  TestDnsServer dns;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    // Names resolve only through this server: no test depends on the machine's DNS.
    dns = TestDnsServer.start().add("origin.test", "127.0.0.1");
    var config =
        TestConfigs.loopback()
            .withLimits(LIMITS)
            .withTimeouts(
                new TimeoutsConfig(
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60)));
    proxy = RunningProxy.start(config, UplinkChooser.unbound(), List.of(dns.address()));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    dns.close();
    origin.close();
  }

  // ---- the request itself is broken ----------------------------------------------------------

  @Test
  void malformedRequestLineIs400AndTheConnectionCloses() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("this is not http\r\n\r\n");
      assertErrorPage(c.read(), 400, "malformed request");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertGatewayStillServes();
  }

  @Test
  void requestLineOverTheLimitIs414() throws Exception {
    // RFC 9112 3: 414 for a request line longer than the server handles.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET "
              + origin.url("/" + "a".repeat(LIMITS.requestLine()))
              + " HTTP/1.1\r\n"
              + "Host: "
              + origin.authority()
              + "\r\n\r\n");
      assertErrorPage(c.read(), 414, "request line is longer than the limit");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(origin.requestsSeen()).isZero();
    assertGatewayStillServes();
  }

  @Test
  void headerBlockOverTheLimitIs431() throws Exception {
    // RFC 6585 5: 431 Request Header Fields Too Large.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/big") + "X-Big: " + "b".repeat(LIMITS.headerBlock()) + "\r\n\r\n");
      assertErrorPage(c.read(), 431, "header block is larger than the limit");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(origin.requestsSeen()).isZero();
    assertGatewayStillServes();
  }

  @Test
  void moreHeaderFieldsThanTheLimitIs431() throws Exception {
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < LIMITS.headers(); i++) {
      fields.append("X-F").append(i).append(": v\r\n");
    }
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/many") + fields + "\r\n");
      assertErrorPage(
          c.read(), 431, (LIMITS.headers() + 1) + " header fields; at most " + LIMITS.headers());
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(origin.requestsSeen()).isZero();
    assertGatewayStillServes();
  }

  @Test
  void contentLengthWithTransferEncodingIs400AndNothingReachesTheOrigin() throws Exception {
    // RFC 9112 6.3: both framings at once is a request-smuggling shape; never guess which one
    // counts.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST "
              + origin.url("/smuggle")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n"
              + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");
      assertErrorPage(c.read(), 400, "conflicting message framing");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertGatewayStillServes();
    assertThat(origin.next().target()).isEqualTo("/after");
    assertThat(origin.requestsSeen()).isZero();
  }

  @Test
  void transferEncodingNotEndingInChunkedIs400() throws Exception {
    // RFC 9112 6.3: a request whose final transfer coding is not chunked cannot be delimited.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST "
              + origin.url("/gz")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n"
              + "Transfer-Encoding: gzip\r\n\r\nabc");
      // Netty's RFC 9112 decoder catches this before RequestCheck does; its sentence is shown.
      assertErrorPage(c.read(), 400, "final transfer coding must be chunked");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertGatewayStillServes();
    assertThat(origin.next().target()).isEqualTo("/after");
    assertThat(origin.requestsSeen()).isZero();
  }

  @Test
  void http11WithoutHostIs400AndTheConnectionStaysUsable() throws Exception {
    // RFC 9112 3.2: a server responds 400 to an HTTP/1.1 request that lacks Host.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + origin.url("/nohost") + " HTTP/1.1\r\n\r\n");
      assertErrorPage(c.read(), 400, "without a Host header");
      // The request was whole: the same connection goes on.
      c.send(get("/after-nohost") + "\r\n");
      assertThat(c.read().bodyText()).startsWith("GET /after-nohost");
    }
  }

  @Test
  void httpsInAbsoluteFormIs400WithAnExplanation() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET https://"
              + origin.authority()
              + "/ HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");
      assertErrorPage(c.read(), 400, "https goes through CONNECT");
    }
    assertGatewayStillServes();
  }

  @Test
  void originFormTargetIs400WithAnExplanation() throws Exception {
    // RFC 9112 3.2.2: a client sends absolute-form to a proxy; origin-form means it took us for a
    // server.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET /index.html HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      assertErrorPage(c.read(), 400, "set this address as your browser's HTTP proxy");
    }
    assertGatewayStillServes();
  }

  // ---- the origin cannot be reached, or does not answer --------------------------------------

  @Test
  void originRefusingTheConnectionIs502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertErrorPage(c.read(), 502, "127.0.0.1:" + closedPort + " refused the connection");
    }
    assertGatewayStillServes();
  }

  @Test
  void originThatNeverAnswersIs504AfterTheResponseTimeout() throws Exception {
    try (RawOrigin silent = RawOrigin.start(s -> s.getInputStream().readAllBytes())) {
      try (RawClient c = new RawClient(proxy.address())) {
        long start = System.nanoTime();
        c.send("GET http://127.0.0.1:" + silent.port() + "/slow HTTP/1.1\r\nHost: x\r\n\r\n");
        assertErrorPage(c.read(), 504, "did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
      }
    }
    assertGatewayStillServes();
  }

  @Test
  void originThatClosesWithoutAnsweringIs502() throws Exception {
    try (RawOrigin hangsUp = RawOrigin.start(RawOrigin::readHead)) {
      try (RawClient c = new RawClient(proxy.address())) {
        c.send("GET http://127.0.0.1:" + hangsUp.port() + "/bye HTTP/1.1\r\nHost: x\r\n\r\n");
        assertErrorPage(c.read(), 502, "closed the connection without answering");
      }
    }
    assertGatewayStillServes();
  }

  @Test
  void nameThatCannotBeResolvedIs502() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET http://nowhere.test:" + origin.port() + "/ HTTP/1.1\r\nHost: nowhere.test\r\n\r\n");
      assertErrorPage(c.read(), 502, "the name nowhere.test cannot be resolved");
    }
    assertThat(dns.queries()).contains("nowhere.test.");
    assertGatewayStillServes();
  }

  @Test
  void nameTheDnsServerKnowsIsResolvedAndForwarded() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET http://origin.test:"
              + origin.port()
              + "/named HTTP/1.1\r\n"
              + "Host: origin.test:"
              + origin.port()
              + "\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("GET /named");
    }
    assertThat(origin.next().header("Host")).isEqualTo("origin.test:" + origin.port());
    assertThat(dns.queries()).contains("origin.test.");
  }

  @Test
  void everyErrorIsInTheAccessLog() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET /index.html HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      c.read();
    }
    AccessRecord r = proxy.nextRecord();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.url()).isEqualTo("/index.html");
    assertThat(r.client()).isEqualTo("127.0.0.1");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String get(String path) {
    return "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n";
  }

  private void assertGatewayStillServes() throws IOException {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/after") + "\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("GET /after");
    }
  }

  static void assertErrorPage(RawClient.Response r, int status, String reason) {
    assertThat(r.status()).as(r.statusLine()).isEqualTo(status);
    assertThat(r.header("X-Gateway-Error")).contains(reason);
    assertThat(r.bodyText()).contains(ErrorPage.escape(reason));
    assertThat(r.header("Content-Type")).startsWith("text/html");
  }
}
