package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.log.AccessRecord;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9112 7.1: a chunked body whose framing is broken cannot be relayed, because where it ends
 * cannot be known. From a client it is answered with 400 and the connection closes, and no complete
 * request reaches the origin; from an origin the response is ended as broken (the client connection
 * closes before the last chunk) and nothing is stored. One row per malformed shape; {@code \r},
 * {@code \n} and {@code \t} in a row stand for CR, LF and HTAB.
 */
class StrictFramingTest {
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  // RFC 9112 7.1: chunk-size = 1*HEXDIG; chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS
  // chunk-ext-val ] ); chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk = 1*("0")
  // [ chunk-ext ] CRLF; trailer-section = *( field-line CRLF ); then CRLF.
  static final String MALFORMED =
      """
      # shape                                        | chunked body as sent
      junk after the size                            | 5z\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a plus sign before the size                    | +5\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a minus sign before the size                   | -5\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a 0x prefix                                    | 0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a leading space                                | \\u00205\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a leading tab                                  | \\t5\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a trailing space without extension             | 5\\u0020\\r\\nhello\\r\\n0\\r\\n\\r\\n
      an empty size                                  | \\r\\nhello\\r\\n0\\r\\n\\r\\n
      a size past 32 bits                            | 100000005\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a size past 64 bits                            | 10000000000000005\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a bare CR in a chunk extension                 | 5;a\\rb\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a bare CR in the last chunk's extension        | 5\\r\\nhello\\r\\n0;a\\rb\\r\\n\\r\\n
      a control character in a chunk extension       | 5;a\\u0001b\\r\\nhello\\r\\n0\\r\\n\\r\\n
      a bare LF ending the size line                 | 5\\nhello\\r\\n0\\r\\n\\r\\n
      chunk data longer than its size                | 5\\r\\nhelloXX\\r\\n0\\r\\n\\r\\n
      chunk data ended by a bare LF                  | 5\\r\\nhello\\n0\\r\\n\\r\\n
      a second chunk longer than its size            | 2\\r\\nhe\\r\\n3\\r\\nlloXX\\r\\n0\\r\\n\\r\\n
      """;

  // RFC 9112 5.1: a server rejects whitespace in a request's field name; in a response a proxy
  // removes it instead (and the gateway drops response trailers anyway, RFC 9110 6.5.1).
  static final String MALFORMED_IN_REQUESTS_ONLY =
      """
      a trailer field with a space in its name       | 5\\r\\nhello\\r\\n0\\r\\nX T: 1\\r\\n\\r\\n
      """;

  @ParameterizedTest(name = "request body with {0}: 400, close, nothing whole upstream")
  @CsvSource(delimiter = '|', textBlock = MALFORMED + MALFORMED_IN_REQUESTS_ONLY)
  void malformedChunkedRequestIsRefusedWith400AndClosed(String shape, String body)
      throws Exception {
    LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (RawOrigin origin = RawOrigin.start(s -> answerAfterWholeChunkedRequest(s, seen));
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST http://127.0.0.1:"
              + origin.port()
              + "/upload HTTP/1.1\r\nHost: x\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n"
              + unescape(body));
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("X-Gateway-Error")).contains("chunked");
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByPeer()).isTrue();
      AccessRecord logged = proxy.nextRecord();
      assertThat(logged.status()).isEqualTo(400);
      assertThat(logged.method()).isEqualTo("POST");
      // The origin may have had the head and part of the body, but never a request it could take as
      // whole: the gateway closed that connection instead of ending the body.
      String upstream = seen.poll(5, TimeUnit.SECONDS);
      if (upstream != null) {
        assertThat(upstream).doesNotEndWith("0\r\n\r\n").startsWith("EOF:");
      }
    }
  }

  @ParameterizedTest(
      name = "response body with {0}: the client sees a broken response, none stored")
  @CsvSource(delimiter = '|', textBlock = MALFORMED)
  void malformedChunkedResponseIsNotRelayedAsWholeNorStored(String shape, String body)
      throws Exception {
    String response =
        "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + unescape(body);
    try (RawOrigin origin =
        RawOrigin.start(
            s -> {
              RawOrigin.readHead(s);
              s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
              s.getOutputStream().flush();
              // Keep the connection open: only the framing can tell the response's end.
              s.getInputStream().read();
            })) {
      String url = "http://127.0.0.1:" + origin.port() + "/broken";
      for (int attempt = 1; attempt <= 2; attempt++) {
        try (RawClient c = new RawClient(proxy.address())) {
          c.send("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
          RawClient.Response head = c.read(true);
          if (head.status() == 200) {
            // The head went out before the body broke: the client can only learn of it by the
            // connection closing before the last chunk.
            assertThatThrownBy(() -> c.readBody(head)).isInstanceOf(IOException.class);
          } else {
            assertThat(head.status()).isEqualTo(502);
          }
        }
      }
      // RFC 9111 3.1: an incomplete response is not stored as whole: the second request went
      // upstream.
      assertThat(origin.accepted()).isEqualTo(2);
    }
  }

  @ParameterizedTest(
      name = "response body with {0} to a background revalidation: the stale copy stays")
  @CsvSource(delimiter = '|', textBlock = MALFORMED)
  void malformedChunkedResponseToABackgroundRefreshIsNotStored(String shape, String body)
      throws Exception {
    CountDownLatch refreshEnded = new CountDownLatch(1);
    AtomicInteger connections = new AtomicInteger();
    try (RawOrigin origin =
        RawOrigin.start(
            s -> {
              RawOrigin.readHead(s);
              OutputStream out = s.getOutputStream();
              if (connections.incrementAndGet() == 1) {
                // Stale on arrival (RFC 9111 4.2.3: Age past max-age), and may be served while
                // revalidated.
                out.write(
                    ("HTTP/1.1 200 OK\r\nCache-Control: max-age=10, stale-while-revalidate=600\r\n"
                            + "Age: 60\r\nContent-Length: 2\r\n\r\nv1")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                s.getInputStream().read();
                return;
              }
              out.write(
                  ("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + unescape(body))
                      .getBytes(StandardCharsets.ISO_8859_1));
              out.flush();
              try {
                s.getInputStream().read();
              } finally {
                refreshEnded.countDown();
              }
            })) {
      String url = "http://127.0.0.1:" + origin.port() + "/swr";
      assertThat(get(url).bodyText()).isEqualTo("v1");
      // Served stale at once; the background revalidation gets the broken response.
      assertThat(get(url).bodyText()).isEqualTo("v1");
      assertThat(refreshEnded.await(5, TimeUnit.SECONDS)).isTrue();

      assertThat(get(url).bodyText()).isEqualTo("v1");
    }
  }

  @ParameterizedTest(name = "{0} in the request line: 400 and close")
  @CsvSource({"HTTP/0.9", "HTTP/0.5", "HTTP/0.0"})
  void requestLineVersionBelowOnePointZeroIsRefusedWith400(String version) throws Exception {
    try (RawOrigin origin = RawOrigin.start(RawOrigin::readHead);
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + origin.port() + "/old " + version + "\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("X-Gateway-Error")).contains("below HTTP/1.0");
      assertThat(c.closedByPeer()).isTrue();
      assertThat(proxy.nextRecord().status()).isEqualTo(400);
      assertThat(origin.accepted()).isZero();
    }
  }

  @Test
  void wellFormedChunkedRequestWithExtensionsAndTrailersPasses() throws Exception {
    LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (RawOrigin origin = RawOrigin.start(s -> answerAfterWholeChunkedRequest(s, seen));
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST http://127.0.0.1:"
              + origin.port()
              + "/upload HTTP/1.1\r\nHost: x\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n"
              + "5;name=value;flag\r\nhello\r\n000A ; spaced = \"quoted\"\r\n, chunked!\r\n"
              + "0;last=1\r\nX-Checksum: 42\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("whole: hello, chunked!");
    }
  }

  @Test
  void wellFormedChunkedResponseWithExtensionsAndTrailersPassesAndIsStored() throws Exception {
    String response =
        "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n000A ; spaced = \"quoted\"\r\n, chunked!\r\n"
            + "0;last=1\r\nX-Checksum: 42\r\n\r\n";
    try (RawOrigin origin =
        RawOrigin.start(
            s -> {
              RawOrigin.readHead(s);
              s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
              s.getOutputStream().flush();
              s.getInputStream().read();
            })) {
      String url = "http://127.0.0.1:" + origin.port() + "/fine";
      for (int attempt = 1; attempt <= 2; attempt++) {
        try (RawClient c = new RawClient(proxy.address())) {
          c.send("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
          RawClient.Response r = c.read();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.bodyText()).isEqualTo("hello, chunked!");
        }
      }
      assertThat(origin.accepted()).isEqualTo(1);
    }
  }

  private RawClient.Response get(String url) throws IOException {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
      return c.read();
    }
  }

  /**
   * Reads a chunked request and answers 200 with its body once it is whole; when the gateway closes
   * first, records what came ("EOF:" and the bytes).
   */
  private static void answerAfterWholeChunkedRequest(Socket s, LinkedBlockingQueue<String> seen)
      throws IOException {
    RawOrigin.readHead(s);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      got.write(b);
      if (got.toString(StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n")) {
        String all = got.toString(StandardCharsets.ISO_8859_1);
        seen.add(all);
        String body = "whole: " + dechunk(all);
        OutputStream out = s.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return;
      }
    }
    seen.add("EOF:" + got.toString(StandardCharsets.ISO_8859_1));
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      String line = chunked.substring(at, eol);
      int semi = line.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  static String unescape(String row) {
    return row.replace("\\r", "\r")
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\u0020", " ")
        .replace("\\u0001", "\u0001");
  }
}
