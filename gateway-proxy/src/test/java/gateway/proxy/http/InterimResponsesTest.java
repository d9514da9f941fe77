package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.TimeoutsConfig;
import gateway.proxy.origin.OriginResponseHandler;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interim (1xx) responses (RFC 9110 15.2) are relayed to HTTP/1.1 clients like any other bytes:
 * only as fast as the client takes them, and only so many per exchange. An origin that sends them
 * without end cannot grow the gateway's memory, nor hold an exchange forever.
 */
class InterimResponsesTest {
  /** The request: a POST with its body, so that a broken response is not retried. */
  static final String BODY = "ping";

  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    // The origin must start its final answer within 1 s: interim responses do not count as a start.
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withTimeouts(
                    new TimeoutsConfig(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(60))));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  @Test
  void earlyHintsAreRelayedToAnHttp11ClientBeforeTheFinalResponse() throws Exception {
    try (RawOrigin origin =
            RawOrigin.start(
                s -> {
                  RawOrigin.readHead(s);
                  s.getInputStream().readNBytes(BODY.length());
                  write(
                      s,
                      "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                          + "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n"
                          + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send(post(origin.port()));

      RawClient.Response first = c.readHead();
      assertThat(first.statusLine()).isEqualTo("HTTP/1.1 103 Early Hints");
      assertThat(first.header("Link")).isEqualTo("</style.css>; rel=preload");
      assertThat(first.header("Via")).contains("gateway-test");
      assertThat(c.readHead().header("Link")).isEqualTo("</app.js>; rel=preload");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("hello");
    }
  }

  @Test
  void interimResponsesGoOnlyAsFastAsTheClientTakesThem() throws Exception {
    // Each hint nearly as large as a response head may be, and as many as an exchange may get: the
    // pipelined exchanges together send the client far more than the socket buffers between it and
    // the origin hold.
    int perExchange = OriginResponseHandler.MAX_INTERIM_RESPONSES - 1;
    int exchanges = 4;
    String hint = "HTTP/1.1 103 Early Hints\r\nLink: </" + "a".repeat(60 * 1024) + ">\r\n\r\n";
    Flood flood = new Flood(hint, perExchange);
    try (RawOrigin origin = RawOrigin.startWithChannels(flood);
        RawClient c = new RawClient(proxy.address(), 16 * 1024)) {
      c.send(post(origin.port()).repeat(exchanges));

      // The client reads nothing: the gateway stops reading the origin, which cannot send its final
      // response, until the response timeout gives that exchange up and closes its connection.
      assertThat(flood.ended.await(10, TimeUnit.SECONDS)).as("an origin connection ended").isTrue();
      assertThat(flood.closedByProxy).as("closed by the gateway").isTrue();
      assertThat(flood.whole.get())
          .as("interim responses the origin got out while the client read nothing")
          .isLessThan(exchanges * perExchange);

      InputStream in = new BufferedInputStream(c.input(), 64 * 1024);
      List<String> finals = new ArrayList<>();
      for (int i = 0; i < exchanges; i++) {
        finals.add(Answer.read(in).finalStatusLine());
      }
      assertThat(finals).contains("HTTP/1.1 504 Gateway Timeout");
    }
  }

  @Test
  void anOriginThatSendsInterimResponsesWithoutEndGets502AfterTheCap() throws Exception {
    Flood flood = new Flood("HTTP/1.1 102 Processing\r\n\r\n", 1000);
    try (RawOrigin origin = RawOrigin.startWithChannels(flood);
        RawClient c = new RawClient(proxy.address())) {
      c.send(post(origin.port()));

      Answer a = Answer.read(new BufferedInputStream(c.input()));
      assertThat(a.interims()).isEqualTo(OriginResponseHandler.MAX_INTERIM_RESPONSES);
      assertThat(a.finalStatusLine()).startsWith("HTTP/1.1 502");
      assertThat(flood.ended.await(5, TimeUnit.SECONDS)).isTrue();
      // A connection whose response broke is closed, never pooled.
      assertThat(flood.closedByProxy).as("origin connection closed by the gateway").isTrue();
    }
  }

  // ---- fakes ------------------------------------------------------------------------------------

  private static String post(int port) {
    return "POST http://127.0.0.1:"
        + port
        + "/upload HTTP/1.1\r\nHost: 127.0.0.1:"
        + port
        + "\r\n"
        + "Content-Length: "
        + BODY.length()
        + "\r\n\r\n"
        + BODY;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * An origin that answers each request on a connection with the same interim response {@code
   * count} times and then an empty 200, writing through a small send buffer without blocking (a
   * write that takes nothing waits for room). It counts the interim responses written whole, and
   * ends when the gateway ends the connection.
   */
  static final class Flood implements RawOrigin.Script {
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicInteger whole = new AtomicInteger();
    volatile boolean closedByProxy;
    private final byte[] interim;
    private final int count;

    Flood(String interim, int count) {
      this.interim = interim.getBytes(StandardCharsets.ISO_8859_1);
      this.count = count;
    }

    @Override
    public void run(Socket s) throws Exception {
      try {
        s.setSendBufferSize(16 * 1024);
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        while (requestHead(in)) {
          in.readNBytes(BODY.length());
          SocketChannel ch = s.getChannel();
          ch.configureBlocking(false);
          try (Selector writable = Selector.open()) {
            SelectionKey key = ch.register(writable, SelectionKey.OP_WRITE);
            for (int i = 0; i < count; i++) {
              send(ch, writable, ByteBuffer.wrap(interim));
              whole.incrementAndGet();
            }
            send(
                ch,
                writable,
                ByteBuffer.wrap(
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1)));
            key.cancel();
            writable.selectNow();
          }
          ch.configureBlocking(true);
        }
        // The gateway ended the connection (a timeout on the read would leave this false).
        closedByProxy = true;
      } catch (IOException e) {
        closedByProxy = !(e instanceof SocketTimeoutException);
      } finally {
        ended.countDown();
      }
    }

    /** Reads a request head; false when the connection ended instead. */
    private static boolean requestHead(InputStream in) throws IOException {
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c == -1) {
          return false;
        }
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      return true;
    }

    private static void send(SocketChannel ch, Selector writable, ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        if (ch.write(b) == 0) {
          writable.select();
          writable.selectedKeys().clear();
        }
      }
    }
  }

  /** The interim responses a client got, then the final one's status line. */
  record Answer(int interims, String finalStatusLine) {
    /** Reads one answer from {@code in}, which should be buffered: it is read byte by byte. */
    static Answer read(InputStream in) throws IOException {
      int interims = 0;
      while (true) {
        String status = line(in);
        while (!line(in).isEmpty()) {
          // the response's fields
        }
        if (!status.startsWith("HTTP/1.1 1")) {
          return new Answer(interims, status);
        }
        interims++;
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c == -1) {
          throw new IOException("connection closed after '" + b + "'");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }
}
