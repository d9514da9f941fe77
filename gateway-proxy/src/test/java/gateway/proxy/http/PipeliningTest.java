package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9112 9.3.2: a server answers pipelined requests in order. The gateway holds at most {@link
 * PipelinedRequests#MAX_WAITING} of them waiting at a time; a client that sends more at once gets
 * the answers to every request it took, in order, the last with {@code Connection: close}, then a
 * clean end of the connection (RFC 9112 9.6: a FIN, no reset), and sends the rest again on a new
 * connection. A request it did not take never reaches the origin.
 */
class PipeliningTest {
  final AtomicInteger originSaw = new AtomicInteger();
  RawOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = RawOrigin.start(this::echoTargets);
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @ParameterizedTest(name = "{0} GETs in one write")
  @ValueSource(ints = {3, 200, 1000, 3000})
  void everyAcceptedRequestIsAnsweredInOrderThenTheConnectionEndsCleanly(int sent)
      throws Exception {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < sent; i++) {
      all.append("GET http://127.0.0.1:")
          .append(origin.port())
          .append("/p")
          .append(i)
          .append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    int answered = 0;
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(all.toString());
      boolean closeAnnounced = false;
      while (answered < sent && !closeAnnounced) {
        RawClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("GET /p" + answered);
        answered++;
        closeAnnounced = "close".equalsIgnoreCase(r.header("Connection"));
      }
      if (answered < sent) {
        // The close was announced; the end that follows is a FIN, not a reset.
        assertThat(c.input().read()).isEqualTo(-1);
      }
    }
    // A request is turned away only when MAX_WAITING wait behind the one served
    // (PipelinedRequestsTest
    // pins that bound); how many come before depends on how the client's bytes are read.
    assertThat(answered).isBetween(Math.min(sent, PipelinedRequests.MAX_WAITING + 1), sent);
    assertThat(originSaw.get()).isEqualTo(answered);
  }

  /** Answers each request on the connection with its method and target, in one write each. */
  private void echoTargets(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    String requestLine;
    while ((requestLine = line(in)) != null) {
      while (!line(in).isEmpty()) {
        // header fields
      }
      originSaw.incrementAndGet();
      String[] parts = requestLine.split(" ");
      String body = parts[0] + " " + parts[1];
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c == -1) {
        return null;
      }
      b.write(c);
    }
    String l = b.toString(StandardCharsets.ISO_8859_1);
    return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
  }
}
