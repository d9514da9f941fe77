package gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import gateway.core.log.AccessRecord;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping: {@link ProxyServer#drain} refuses new clients and lets the requests in flight finish.
 */
class DrainTest {

  @Test
  void inFlightResponseCompletesWhileNewConnectionsAreRefused() throws Exception {
    CountDownLatch finishResponse = new CountDownLatch(1);
    try (RawOrigin slowOrigin =
            RawOrigin.start(
                s -> {
                  RawOrigin.readHead(s);
                  OutputStream out = s.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nfirst"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  finishResponse.await();
                  out.write("-half".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  s.getInputStream().readAllBytes();
                });
        RunningProxy proxy = RunningProxy.start(TestConfigs.loopback());
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + slowOrigin.port() + "/slow HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response head = c.readHead();
      assertThat(head.statusLine()).startsWith("HTTP/1.1 200");
      assertThat(new String(c.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("first");

      CompletableFuture<Integer> drained =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return proxy.server().drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      InetSocketAddress address = proxy.address();
      await().atMost(Duration.ofSeconds(5)).until(() -> refuses(address));
      assertThatThrownBy(() -> new RawClient(address)).isInstanceOf(ConnectException.class);

      finishResponse.countDown();
      assertThat(new String(c.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("-half");
      // The response is complete and the gateway is stopping: the connection closes after it.
      assertThat(c.closedByPeer()).isTrue();

      assertThat(drained.get(5, TimeUnit.SECONDS)).as("connections closed by force").isZero();
      AccessRecord r = proxy.nextRecord();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.url()).isEqualTo("http://127.0.0.1:" + slowOrigin.port() + "/slow");
      assertThat(r.bytes()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void idleKeptAliveConnectionsAreClosedAtOnce() throws Exception {
    try (RawOrigin origin =
            RawOrigin.start(
                s -> {
                  RawOrigin.readHead(s);
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                              .getBytes(StandardCharsets.US_ASCII));
                  s.getInputStream().readAllBytes();
                });
        RunningProxy proxy = RunningProxy.start(TestConfigs.loopback());
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://127.0.0.1:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);

      long start = System.nanoTime();
      assertThat(proxy.server().drain(Duration.ofSeconds(10))).isZero();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  private static boolean refuses(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
