package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Expect: 100-continue} (RFC 9110 10.1.1): the client waits for the origin's go-ahead before
 * it sends the body; the gateway relays the interim 100 (RFC 9110 15.2) and the origin's refusal
 * alike.
 */
class ExpectContinueTest {
  static final String BODY = "the body, sent only after 100 Continue";

  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  @Test
  void originsHundredContinueIsRelayedAndThenTheBodyGoesThrough() throws Exception {
    try (RawOrigin origin = RawOrigin.start(ExpectContinueTest::continueThenEcho);
        RawClient c = new RawClient(proxy.address())) {
      c.send(postExpectingContinue(origin.port()));

      RawClient.Response interim = c.readHead();
      assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(interim.header("Via")).contains("gateway-test");

      c.send(BODY);
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("got: " + BODY);
    }
    assertGatewayStillServes();
  }

  @Test
  void originThatRefusesWith417WithoutReadingTheBodyIsRelayed() throws Exception {
    try (RawOrigin origin = RawOrigin.start(s -> refuse(s, "417 Expectation Failed", ""));
        RawClient c = new RawClient(proxy.address())) {
      c.send(postExpectingContinue(origin.port()));

      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(417);
      // The body was never sent: the connection cannot be reused and is closed.
      assertThat(c.closedByPeer()).isTrue();
    }
    assertGatewayStillServes();
  }

  @Test
  void originThatAsksForCredentialsWith401WithoutReadingTheBodyIsRelayed() throws Exception {
    try (RawOrigin origin =
            RawOrigin.start(
                s -> refuse(s, "401 Unauthorized", "WWW-Authenticate: Basic realm=\"test\"\r\n"));
        RawClient c = new RawClient(proxy.address())) {
      c.send(postExpectingContinue(origin.port()));

      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"test\"");
      assertThat(r.bodyText()).isEqualTo("refused");
    }
    assertGatewayStillServes();
  }

  // ---- fakes ------------------------------------------------------------------------------------

  private static String postExpectingContinue(int port) {
    return "POST http://127.0.0.1:"
        + port
        + "/upload HTTP/1.1\r\nHost: 127.0.0.1:"
        + port
        + "\r\n"
        + "Content-Length: "
        + BODY.length()
        + "\r\nExpect: 100-continue\r\n\r\n";
  }

  /** Reads the head, answers 100 Continue, reads the body and echoes it in a 200. */
  static void continueThenEcho(Socket s) throws IOException {
    RawOrigin.readHead(s);
    OutputStream out = s.getOutputStream();
    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    String body = new String(in.readNBytes(BODY.length()), StandardCharsets.US_ASCII);
    String answer = "got: " + body;
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Length: "
                + answer.length()
                + "\r\nConnection: close\r\n\r\n"
                + answer)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads the head only and answers with a final status at once, never reading the body. */
  static void refuse(Socket s, String status, String fields) throws IOException {
    RawOrigin.readHead(s);
    s.getOutputStream()
        .write(
            ("HTTP/1.1 " + status + "\r\n" + fields + "Content-Length: 7\r\n\r\nrefused")
                .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    // Keep the connection open: the gateway, not the origin, decides what happens next.
    s.getInputStream().readAllBytes();
  }

  private void assertGatewayStillServes() throws Exception {
    try (RawOrigin ok = RawOrigin.start(ExpectContinueTest::continueThenEcho);
        RawClient c = new RawClient(proxy.address())) {
      c.send(postExpectingContinue(ok.port()));
      c.readHead();
      c.send(BODY);
      assertThat(c.read().status()).isEqualTo(200);
    }
  }
}
