package gateway.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent misses for one URL make one upstream request; the clients that came later are fed from
 * that download while it is still arriving.
 */
class CollapsedForwardingTest {
  static final int HALF = 256 * 1024;

  final CountDownLatch secondHalf = new CountDownLatch(1);
  final AtomicInteger served = new AtomicInteger();
  final byte[] body = new byte[2 * HALF];
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + i / 7);
    }
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              served.incrementAndGet();
              ex.getResponseHeaders().set("Cache-Control", "max-age=60");
              if (seen.target().startsWith("/private")) {
                ex.getResponseHeaders().set("Cache-Control", "private");
              }
              ex.sendResponseHeaders(200, body.length);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(body, 0, HALF);
                out.flush();
                secondHalf.await(10, TimeUnit.SECONDS);
                out.write(body, HALF, HALF);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    secondHalf.countDown();
    proxy.close();
    origin.close();
  }

  RawClient ask(String path) throws Exception {
    RawClient c = new RawClient(proxy.address());
    c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c;
  }

  @Test
  void laterClientsAreFedFromTheFirstDownloadWhileItArrives() throws Exception {
    List<RawClient> clients = new ArrayList<>();
    try {
      clients.add(ask("/video"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served.get() == 1);
      for (int i = 0; i < 4; i++) {
        clients.add(ask("/video"));
      }
      // Every client gets the first half while the origin still holds back the second.
      for (RawClient c : clients) {
        RawClient.Response head = c.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(body.length));
        assertThat(c.input().readNBytes(HALF)).isEqualTo(Arrays.copyOf(body, HALF));
      }
      secondHalf.countDown();
      for (RawClient c : clients) {
        assertThat(c.input().readNBytes(HALF)).isEqualTo(Arrays.copyOfRange(body, HALF, 2 * HALF));
      }
    } finally {
      for (RawClient c : clients) {
        c.close();
      }
    }
    assertThat(served.get()).isEqualTo(1);
    List<CacheAction> actions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AccessRecord r = proxy.nextRecord();
      assertThat(r.bytes()).isGreaterThan(body.length);
      actions.add(r.action());
    }
    assertThat(actions).containsOnlyOnce(CacheAction.TCP_MISS).contains(CacheAction.TCP_HIT);
  }

  @Test
  void whenTheResponseMayNotBeStoredTheWaitingClientsFetchTheirOwn() throws Exception {
    List<RawClient> clients = new ArrayList<>();
    try {
      clients.add(ask("/private"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served.get() == 1);
      clients.add(ask("/private"));
      clients.add(ask("/private"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served.get() == 3);
      secondHalf.countDown();
      for (RawClient c : clients) {
        assertThat(c.read().body()).isEqualTo(body);
      }
      // The requests went upstream complete: their connections serve the next request too.
      for (RawClient c : clients) {
        c.send(
            "GET "
                + origin.url("/private/2")
                + " HTTP/1.1\r\nHost: "
                + origin.authority()
                + "\r\n\r\n");
        assertThat(c.read().body()).isEqualTo(body);
      }
    } finally {
      for (RawClient c : clients) {
        c.close();
      }
    }
  }
}
