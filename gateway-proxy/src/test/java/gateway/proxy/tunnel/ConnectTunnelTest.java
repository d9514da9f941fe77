package gateway.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.TimeoutsConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.EchoOrigin;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * CONNECT (RFC 9110 9.3.6): the gateway opens a TCP tunnel and relays bytes both ways until both
 * end.
 */
class ConnectTunnelTest {
  RawOrigin echo;
  RawOrigin echoAfterEof;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    echo = EchoOrigin.streaming();
    echoAfterEof = EchoOrigin.afterEndOfInput();
    proxy =
        RunningProxy.start(
            TestConfigs.loopback().withConnectPorts(Set.of(echo.port(), echoAfterEof.port())));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    echo.close();
    echoAfterEof.close();
  }

  @Test
  void severalMebibytesAreRelayedBothWaysIntact() throws Exception {
    byte[] data = randomBytes(8 << 20, 1);
    try (RawClient c = connect(echo.port())) {
      // Write and read at once: the echo pushes back while we are still sending. (No half-close
      // here:
      // see the disabled test below for what epoll does to a large answer after one.)
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try {
                  c.output().write(data);
                  c.output().flush();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      byte[] back = c.input().readNBytes(data.length);
      sender.get(10, TimeUnit.SECONDS);

      assertThat(back.length).isEqualTo(data.length);
      assertThat(crc(back)).isEqualTo(crc(data));
    }
  }

  @Test
  void halfCloseReachesTheTargetAndTheAnswerStillComesBack() throws Exception {
    // The target answers only after it has read to the end: the client's FIN must be passed on
    // while
    // the other direction stays open.
    // Small enough for the socket buffers towards the client (see the disabled test below).
    byte[] data = randomBytes(200_000, 2);
    try (RawClient c = connect(echoAfterEof.port())) {
      c.send(data);
      c.socket().shutdownOutput();

      byte[] back = c.input().readAllBytes();

      assertThat(back.length).isEqualTo(data.length);
      assertThat(crc(back)).isEqualTo(crc(data));
    }
  }

  @Test
  @Disabled(
      "Netty 4.2.18 epoll defect, fails about one run in three: once a half-closed socket's"
          + " interest set drops to none, EpollIoHandler removes the fd from epoll (EPOLL_CTL_DEL) but keeps"
          + " its state as Added; the next write that needs EPOLLOUT does EPOLL_CTL_MOD, gets ENOENT, and"
          + " Netty shuts the client's output: the answer is cut short.")
  void halfCloseAfterALargeUploadStillGetsTheWholeAnswer() throws Exception {
    // The client's end arrives while the target side is still draining what came before it, and the
    // answer (48 MiB) is larger than the socket buffers towards the client.
    byte[] data = randomBytes(48 << 20, 5);
    try (RawClient c = connect(echoAfterEof.port())) {
      CompletableFuture<byte[]> back =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return c.input().readAllBytes();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      c.send(data);
      c.socket().shutdownOutput();

      byte[] received = back.get(20, TimeUnit.SECONDS);
      assertThat(received.length).isEqualTo(data.length);
      assertThat(crc(received)).isEqualTo(crc(data));
    }
  }

  @Test
  void halfCloseWhileTheTargetIsNotReadingYetLosesNothing() throws Exception {
    // The client's end arrives while its data is still queued at the gateway behind a target that
    // does
    // not read: every byte before the end must still reach the target, and only then the end
    // itself.
    byte[] data = randomBytes(32 << 20, 6);
    try (RawOrigin lateReader =
            RawOrigin.start(
                s -> {
                  Thread.sleep(1000);
                  InputStream in = s.getInputStream();
                  CRC32 crc = new CRC32();
                  long n = 0;
                  byte[] buf = new byte[64 * 1024];
                  for (int r; (r = in.read(buf)) != -1; n += r) {
                    crc.update(buf, 0, r);
                  }
                  s.getOutputStream()
                      .write((n + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII));
                });
        RunningProxy p =
            RunningProxy.start(TestConfigs.loopback().withConnectPorts(Set.of(lateReader.port())));
        RawClient c = new RawClient(p.address())) {
      c.send("CONNECT 127.0.0.1:" + lateReader.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(200);
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try {
                  c.send(data);
                  c.socket().shutdownOutput();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });

      String answer = new String(c.input().readAllBytes(), StandardCharsets.US_ASCII);
      sender.get(10, TimeUnit.SECONDS);

      assertThat(answer).isEqualTo(data.length + " " + crc(data));
    }
  }

  @Test
  void anIdleTunnelIsClosedAfterTheIdleTimeout() throws Exception {
    try (RunningProxy p =
            RunningProxy.start(
                TestConfigs.loopback()
                    .withConnectPorts(Set.of(echo.port()))
                    .withTimeouts(idle(Duration.ofSeconds(1))));
        RawClient c = new RawClient(p.address())) {
      c.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\nping");
      assertThat(c.readHead().status()).isEqualTo(200);
      assertThat(c.input().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();

      assertThat(c.closedByPeer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }
  }

  @Test
  void aTunnelThatOnlyCarriesBytesOneWayIsNotIdle() throws Exception {
    // A download: the client sends nothing for longer than the idle timeout, yet the tunnel is
    // busy.
    byte[] tick = randomBytes(1024, 7);
    try (RawOrigin ticker =
            RawOrigin.start(
                s -> {
                  for (int i = 0; i < 25; i++) {
                    s.getOutputStream().write(tick);
                    Thread.sleep(100);
                  }
                });
        RunningProxy p =
            RunningProxy.start(
                TestConfigs.loopback()
                    .withConnectPorts(Set.of(ticker.port()))
                    .withTimeouts(idle(Duration.ofSeconds(1))));
        RawClient c = new RawClient(p.address())) {
      c.send("CONNECT 127.0.0.1:" + ticker.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(200);

      assertThat(c.input().readAllBytes()).hasSize(25 * tick.length);
    }
  }

  @Test
  void oneAccessLogRecordPerTunnelWithTheBytesOfBothDirections() throws Exception {
    byte[] data = randomBytes(200_000, 3);
    try (RawClient c = connect(echoAfterEof.port())) {
      c.send(data);
      c.socket().shutdownOutput();
      assertThat(c.input().readAllBytes()).hasSize(data.length);
    }

    AccessRecord r = proxy.nextRecord();
    assertThat(r.method()).isEqualTo("CONNECT");
    assertThat(r.action()).isEqualTo(CacheAction.TCP_TUNNEL);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.url()).isEqualTo("127.0.0.1:" + echoAfterEof.port());
    assertThat(r.bytes()).isEqualTo(2L * data.length);
    assertThat(r.client()).isEqualTo("127.0.0.1");
    assertThat(r.uplink()).isEqualTo("direct");
    assertThat(proxy.records()).as("exactly one record per tunnel").isEmpty();
  }

  @Test
  void connectToAPortNotInConnectPortsIs403WithTheReason() throws Exception {
    try (RawOrigin other = EchoOrigin.streaming();
        RawClient c = new RawClient(proxy.address())) {
      c.send(
          "CONNECT 127.0.0.1:"
              + other.port()
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + other.port()
              + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      String reason = "CONNECT to port " + other.port() + " is not allowed";
      assertThat(r.bodyText()).contains(reason);
      assertThat(r.header("X-Gateway-Error")).contains(reason);
      assertThat(other.accepted()).isZero();
      AccessRecord rec = proxy.nextRecord();
      assertThat(rec.action()).isEqualTo(CacheAction.TCP_DENIED);
      assertThat(rec.method()).isEqualTo("CONNECT");
    }
    // And the gateway still tunnels to an allowed port.
    try (RawClient c = connect(echo.port())) {
      c.send("ping");
      assertThat(c.input().readNBytes(4)).isEqualTo("ping".getBytes());
    }
  }

  @Test
  void connectToATargetThatRefusesIs502AndTheConnectionCloses() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    try (RunningProxy p =
            RunningProxy.start(TestConfigs.loopback().withConnectPorts(Set.of(closedPort)));
        RawClient c = new RawClient(p.address())) {
      c.send("CONNECT 127.0.0.1:" + closedPort + " HTTP/1.1\r\nHost: x\r\n\r\nearly bytes");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("X-Gateway-Error"))
          .contains("127.0.0.1:" + closedPort + " refused the connection");
      // Bytes may already have followed the CONNECT head: the connection cannot go on as HTTP.
      assertThat(c.closedByPeer()).isTrue();
      AccessRecord rec = p.nextRecord();
      assertThat(rec.method()).isEqualTo("CONNECT");
      assertThat(rec.status()).isEqualTo(502);
    }
  }

  @Test
  void bytesSentRightAfterTheConnectHeadAreNotLost() throws Exception {
    // A client may send its first bytes (a TLS ClientHello) without waiting for the 200.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "CONNECT 127.0.0.1:"
              + echo.port()
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + echo.port()
              + "\r\n\r\nearly bytes");
      assertThat(c.readHead().statusLine()).isEqualTo("HTTP/1.1 200 Connection established");

      assertThat(new String(c.input().readNBytes(11), StandardCharsets.US_ASCII))
          .isEqualTo("early bytes");
    }
  }

  @Test
  void clientThatEndsItsOutputRightAfterTheConnectStillGetsTheAnswer() throws Exception {
    // Like `printf 'CONNECT ...\r\n\r\nrequest' | nc -N proxy 3128`: head, data and FIN at once.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("CONNECT 127.0.0.1:" + echoAfterEof.port() + " HTTP/1.1\r\nHost: x\r\n\r\nall of it");
      c.socket().shutdownOutput();

      assertThat(c.readHead().status()).isEqualTo(200);
      assertThat(new String(c.input().readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("all of it");
    }
  }

  @Test
  void clientThatDoesNotReadHoldsTheTargetBack() throws Exception {
    long size = 256L << 20;
    byte[] block = randomBytes(1 << 20, 4);
    AtomicLong written = new AtomicLong();
    try (RawOrigin firehose =
            RawOrigin.start(
                s -> {
                  for (long sent = 0; sent < size; sent += block.length) {
                    s.getOutputStream().write(block);
                    written.addAndGet(block.length);
                  }
                });
        RunningProxy p =
            RunningProxy.start(TestConfigs.loopback().withConnectPorts(Set.of(firehose.port())));
        RawClient c = new RawClient(p.address())) {
      c.send("CONNECT 127.0.0.1:" + firehose.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readHead().status()).isEqualTo(200);

      Thread.sleep(2000); // the scenario: a client that reads nothing for 2 s
      assertThat(written.get()).as("bytes the target could write meanwhile").isLessThan(32L << 20);

      CRC32 expected = new CRC32();
      for (long i = 0; i < size; i += block.length) {
        expected.update(block);
      }
      assertThat(crc(c.input())).isEqualTo(expected.getValue());
    }
  }

  private RawClient connect(int port) throws IOException {
    RawClient c = new RawClient(proxy.address());
    c.send("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
    RawClient.Response head = c.readHead();
    assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 Connection established");
    return c;
  }

  private static TimeoutsConfig idle(Duration idle) {
    return new TimeoutsConfig(
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), idle);
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

  static long crc(InputStream in) throws IOException {
    CRC32 c = new CRC32();
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) != -1) {
      c.update(buf, 0, n);
    }
    return c.getValue();
  }
}
