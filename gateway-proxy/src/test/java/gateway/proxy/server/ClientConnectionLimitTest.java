package gateway.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.core.config.LimitsConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One machine may hold only limits.client-connections connections open; more get a clear 429. */
class ClientConnectionLimitTest {
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy =
        RunningProxy.start(
            TestConfigs.loopback().withLimits(new LimitsConfig(8192, 65536, 100, 2)));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  String get(String path) {
    return "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n";
  }

  @Test
  void aClientOverItsConnectionLimitGets429AndTheOthersKeepWorking() throws Exception {
    try (RawClient first = new RawClient(proxy.address());
        RawClient second = new RawClient(proxy.address())) {
      assertThat(first.send(get("/1")).read().status()).isEqualTo(200);
      assertThat(second.send(get("/2")).read().status()).isEqualTo(200);

      try (RawClient third = new RawClient(proxy.address())) {
        RawClient.Response r = third.send(get("/3")).read();
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("X-Gateway-Error")).contains("127.0.0.1").contains("2 connections");
        assertThat(third.closedByPeer()).isTrue();
      }
      // The two within the limit are untouched.
      assertThat(first.send(get("/1b")).read().status()).isEqualTo(200);
    }
    // Once connections close, the client may open new ones.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              try (RawClient again = new RawClient(proxy.address())) {
                assertThat(again.send(get("/4")).read().status()).isEqualTo(200);
              }
            });
    assertThat(proxy.records()).extracting(AccessRecord::status).contains(429);
    assertThat(proxy.records())
        .filteredOn(r -> r.status() == 429)
        .extracting(AccessRecord::action)
        .containsOnly(CacheAction.TCP_DENIED);
  }
}
