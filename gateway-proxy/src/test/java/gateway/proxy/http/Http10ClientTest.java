package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.0 clients (RFC 9112 9.3, appendix C.2.2): persistence only when asked for, and no 1xx. */
class Http10ClientTest {
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void withoutKeepAliveTheResponseComesAndTheConnectionCloses() throws Exception {
    // RFC 9112 9.3: an HTTP/1.0 connection is not persistent unless the client sent keep-alive.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + origin.url("/ten") + " HTTP/1.0\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("GET /ten");
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void withKeepAliveAndAContentLengthResponseTheConnectionStaysOpen() throws Exception {
    // RFC 9112 C.2.2: a 1.0 keep-alive connection persists while each response has a known length.
    try (RawClient c = new RawClient(proxy.address())) {
      for (int i = 0; i < 3; i++) {
        c.send("GET " + origin.url("/ka" + i) + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).startsWith("GET /ka" + i);
        assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(r.header("Content-Length")).isNotNull();
      }
    }
  }

  @Test
  void noInterimResponseIsEverSentToAnHttp10Client() throws Exception {
    // RFC 9110 15.2: a server must not send a 1xx response to an HTTP/1.0 client.
    try (RawOrigin chatty = RawOrigin.start(Http10ClientTest::interimThenOk);
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST http://127.0.0.1:"
              + chatty.port()
              + "/p HTTP/1.0\r\nContent-Length: 4\r\n"
              + "Expect: 100-continue\r\n\r\nbody");
      RawClient.Response r = c.readHead();

      assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
      assertThat(new String(c.input().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("done");
    }
  }

  @Test
  void theSameOriginAnswersAnHttp11ClientWithTheInterimResponses() throws Exception {
    // The contrast to the test above: the 1xx responses are there to be dropped.
    try (RawOrigin chatty = RawOrigin.start(Http10ClientTest::interimThenOk);
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST http://127.0.0.1:"
              + chatty.port()
              + "/p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
              + "\r\nbody");

      assertThat(c.readHead().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(c.readHead().statusLine()).startsWith("HTTP/1.1 102");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  /** Sends 100 and 102 interim responses unasked, then a final 200 delimited by close. */
  static void interimThenOk(Socket s) throws IOException {
    RawOrigin.readHead(s);
    s.getInputStream().readNBytes(4);
    OutputStream out = s.getOutputStream();
    out.write(
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndone")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
