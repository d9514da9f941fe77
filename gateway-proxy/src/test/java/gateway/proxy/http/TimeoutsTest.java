package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.TimeoutsConfig;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients cannot hold connections open for free: slow request heads and idle connections are
 * closed.
 */
class TimeoutsTest {
  TestOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void slowlorisGets408WithinTheRequestHeaderTimeoutAndIsClosed() throws Exception {
    try (RunningProxy proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withTimeouts(timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30))))) {
      try (RawClient slowClient = new RawClient(proxy.address())) {
        long start = System.nanoTime();
        // Half a request head, and then nothing.
        slowClient.send("GET " + origin.url("/slow") + " HTTP/1.1\r\nHost: ");
        RawClient.Response r = slowClient.read();

        assertThat(r.status()).isEqualTo(408);
        assertThat(r.bodyText()).contains("the request head did not arrive in time");
        assertThat(slowClient.closedByPeer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
      }
      assertThat(origin.requestsSeen()).isZero();
      assertStillServes(proxy);
    }
  }

  @Test
  void aClientTakingItsTimeBetweenRequestsIsNotASlowloris() throws Exception {
    // The head timer runs from a head's first byte, not from the previous response.
    try (RunningProxy proxy =
            RunningProxy.start(
                TestConfigs.loopback()
                    .withTimeouts(timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30))));
        RawClient c = new RawClient(proxy.address())) {
      c.send(get("/one"));
      assertThat(c.read().status()).isEqualTo(200);
      Thread.sleep(1500); // the scenario: a pause longer than the head timeout between two requests
      c.send(get("/two"));
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void anIdleClientConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RunningProxy proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withTimeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1))))) {
      try (RawClient idle = new RawClient(proxy.address())) {
        long start = System.nanoTime();

        assertThat(idle.closedByPeer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
      }
      assertStillServes(proxy);
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenIdleAfterItsLastResponse() throws Exception {
    try (RunningProxy proxy =
            RunningProxy.start(
                TestConfigs.loopback()
                    .withTimeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1))));
        RawClient c = new RawClient(proxy.address())) {
      c.send(get("/last"));
      assertThat(c.read().status()).isEqualTo(200);
      long start = System.nanoTime();

      assertThat(c.closedByPeer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }
  }

  private static TimeoutsConfig timeouts(Duration requestHeader, Duration idle) {
    return new TimeoutsConfig(Duration.ofSeconds(5), requestHeader, Duration.ofSeconds(10), idle);
  }

  private String get(String path) {
    return "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n";
  }

  private void assertStillServes(RunningProxy proxy) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/after"));
      assertThat(c.read().status()).isEqualTo(200);
    }
  }
}
