package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through the gateway in both directions, never buffered whole: a client that does
 * not read holds the origin back, and every byte arrives intact.
 */
class StreamingTest {
  /** A 1 MiB block of random bytes; large bodies repeat it. */
  static final byte[] BLOCK = new byte[1 << 20];

  static {
    new Random(42).nextBytes(BLOCK);
  }

  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  // ---- responses ----------------------------------------------------------------------------

  @Test
  void clientThatDoesNotReadHoldsTheOriginBack() throws Exception {
    long size = 256L << 20;
    AtomicLong written = new AtomicLong();
    try (RawOrigin bigFile =
            RawOrigin.start(
                s -> {
                  RawOrigin.readHead(s);
                  OutputStream out = s.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                              + size
                              + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  for (long sent = 0; sent < size; sent += BLOCK.length) {
                    out.write(BLOCK);
                    written.addAndGet(BLOCK.length);
                  }
                  out.flush();
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + bigFile.port() + "/big HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response head = c.readHead();
      assertThat(head.statusLine()).startsWith("HTTP/1.1 200");

      // The scenario itself: a client that reads nothing for 2 s. Whatever the origin wrote
      // meanwhile
      // sits in socket buffers (a few MiB on loopback) and the proxy's bounded write buffer.
      Thread.sleep(2000);
      long whileStalled = written.get();
      assertThat(whileStalled)
          .as("bytes the origin could write while the client read nothing")
          .isLessThan(32L << 20);

      CRC32 crc = new CRC32();
      long received = read(c.input(), size, crc);
      assertThat(received).isEqualTo(size);
      assertThat(crc.getValue()).isEqualTo(repeatedBlockCrc(size));
    }
  }

  @Test
  void chunkedResponseStaysChunkedForAnHttp11Client() throws Exception {
    // RFC 9112 7: the proxy keeps chunked framing for a client that understands it.
    try (RawOrigin chunked = RawOrigin.start(StreamingTest::answerChunked);
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + chunked.port() + "/c HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(r.header("Content-Length")).isNull();
      assertThat(r.bodyText()).isEqualTo(CHUNKED_BODY);
    }
  }

  @Test
  void chunkedResponseIsDelimitedByCloseForAnHttp10Client() throws Exception {
    // RFC 9112 7: chunked is not sent to an HTTP/1.0 recipient; the end of the body is the close.
    try (RawOrigin chunked = RawOrigin.start(StreamingTest::answerChunked);
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET http://127.0.0.1:"
              + chunked.port()
              + "/c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Transfer-Encoding")).isNull();
      assertThat(r.header("Content-Length")).isNull();
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(r.bodyText()).isEqualTo(CHUNKED_BODY);
    }
  }

  @Test
  void headResponseCarriesNoBodyAndTheConnectionGoesOn() throws Exception {
    // RFC 9110 9.3.2: a HEAD response has the GET's fields, Content-Length included, and no body.
    try (TestOrigin origin =
            TestOrigin.start(
                (ex, seen) -> {
                  ex.getResponseHeaders().set("Content-Length", "1000");
                  ex.sendResponseHeaders(200, -1);
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send("HEAD " + origin.url("/h") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      RawClient.Response r = c.read(true);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Length")).isEqualTo("1000");

      c.send("HEAD " + origin.url("/h2") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      assertThat(c.read(true).status()).isEqualTo(200);
      assertThat(origin.connections()).isEqualTo(1);
    }
  }

  @Test
  void clientGoingAwayMidResponseClosesTheOriginConnection() throws Exception {
    CountDownLatch originSawTheEnd = new CountDownLatch(1);
    try (RawOrigin endless =
        RawOrigin.start(
            s -> {
              RawOrigin.readHead(s);
              OutputStream out = s.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
              try {
                while (true) {
                  out.write(("10000\r\n").getBytes(StandardCharsets.US_ASCII));
                  out.write(BLOCK, 0, 0x10000);
                  out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
              } catch (IOException gone) {
                originSawTheEnd.countDown();
              }
            })) {
      try (RawClient c = new RawClient(proxy.address())) {
        c.send("GET http://127.0.0.1:" + endless.port() + "/endless HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.readHead().status()).isEqualTo(200);
        c.input().readNBytes(1 << 20);
      }
      assertThat(originSawTheEnd.await(5, TimeUnit.SECONDS))
          .as("the origin connection was closed")
          .isTrue();
      var record = proxy.nextRecord();
      assertThat(record.status()).isEqualTo(200);
      assertThat(record.bytes()).isGreaterThan(1 << 20);
    }
  }

  // ---- request bodies -------------------------------------------------------------------------

  @Test
  void contentLengthUploadOfSeveralMebibytesArrivesIntact() throws Exception {
    byte[] body = randomBytes(6 << 20, 7);
    try (TestOrigin origin = TestOrigin.start();
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "PUT "
              + origin.url("/upload")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n");
      c.send(body);

      assertThat(c.read().status()).isEqualTo(200);
      TestOrigin.Seen seen = origin.next();
      assertThat(seen.body().length).isEqualTo(body.length);
      assertThat(crc(seen.body())).isEqualTo(crc(body));
    }
  }

  @Test
  void chunkedUploadOfSeveralMebibytesArrivesIntact() throws Exception {
    byte[] body = randomBytes(6 << 20, 8);
    try (TestOrigin origin = TestOrigin.start();
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST "
              + origin.url("/upload")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n");
      Random sizes = new Random(9);
      for (int off = 0; off < body.length; ) {
        int n = Math.min(body.length - off, 1 + sizes.nextInt(200_000));
        c.send(Integer.toHexString(n) + "\r\n");
        c.output().write(body, off, n);
        c.send("\r\n");
        off += n;
      }
      c.send("0\r\n\r\n");

      assertThat(c.read().status()).isEqualTo(200);
      TestOrigin.Seen seen = origin.next();
      assertThat(seen.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(seen.body().length).isEqualTo(body.length);
      assertThat(crc(seen.body())).isEqualTo(crc(body));
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  static final String CHUNKED_BODY = "first chunk;second chunk;" + "x".repeat(10_000) + ";end";

  /** Answers with {@link #CHUNKED_BODY} in several chunks, then closes. */
  static void answerChunked(Socket s) throws IOException {
    RawOrigin.readHead(s);
    OutputStream out = s.getOutputStream();
    StringBuilder b =
        new StringBuilder(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
    for (String part : CHUNKED_BODY.split("(?<=;)")) {
      b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    b.append("0\r\n\r\n");
    out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads up to {@code limit} bytes (the response's Content-Length), stopping early at EOF. */
  private static long read(InputStream in, long limit, CRC32 crc) throws IOException {
    byte[] buf = new byte[256 * 1024];
    long total = 0;
    int n;
    while (total < limit
        && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) != -1) {
      crc.update(buf, 0, n);
      total += n;
    }
    return total;
  }

  private static long repeatedBlockCrc(long size) {
    CRC32 crc = new CRC32();
    for (long i = 0; i < size; i += BLOCK.length) {
      crc.update(BLOCK);
    }
    return crc.getValue();
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }
}
