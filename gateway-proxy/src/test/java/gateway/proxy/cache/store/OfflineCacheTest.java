package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.SwitchableUplink;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When every uplink is down the origin cannot be asked: a stale stored response is served where the
 * rules allow it (RFC 9111 4.2.4: a cache "disconnected" from the origin may serve stale responses,
 * unless the response forbids it) instead of the 503 page.
 *
 * <p>The one uplink is the loopback address; the test takes it down and up. Stored responses are
 * made stale by an {@code Age} beyond their max-age.
 */
class OfflineCacheTest {
  final AtomicReference<String> cacheControl = new AtomicReference<>();
  final AtomicInteger served = new AtomicInteger();
  SwitchableUplink uplink;
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              served.incrementAndGet();
              byte[] body = ("stored " + seen.target()).getBytes(StandardCharsets.UTF_8);
              ex.getResponseHeaders().set("Cache-Control", cacheControl.get());
              ex.getResponseHeaders().set("ETag", "\"v1\"");
              ex.getResponseHeaders().set("Age", "60");
              ex.sendResponseHeaders(200, body.length);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
              }
            });
    uplink = new SwitchableUplink();
    proxy = RunningProxy.start(TestConfigs.loopback(), uplink, List.of());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  RawClient.Response get(String path, String... headers) throws IOException {
    StringBuilder req =
        new StringBuilder(
            "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(req.append("\r\n").toString());
      return c.read();
    }
  }

  /**
   * Stores {@code path} with the given Cache-Control while the uplink is up, then takes it down.
   */
  void storeThenGoOffline(String path, String responseCacheControl) throws Exception {
    cacheControl.set(responseCacheControl);
    assertThat(get(path).status()).isEqualTo(200);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(
            proxy
                .cache()
                .find(CacheKey.of("127.0.0.1", origin.port(), path), new DefaultHttpHeaders()))
        .as("stored")
        .isNotNull();
    uplink.down();
  }

  @Test
  void aStaleResponseIsServedInsteadOfThe503Page() throws Exception {
    storeThenGoOffline("/page", "max-age=10");

    RawClient.Response r = get("/page");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("stored /page");
    assertThat(Long.parseLong(r.header("Age"))).isGreaterThanOrEqualTo(60);
    AccessRecord record = proxy.nextRecord();
    assertThat(record.action()).isEqualTo(CacheAction.TCP_REFRESH_FAIL_OLD);
    assertThat(record.status()).isEqualTo(200);
    assertThat(served.get()).isOne();
  }

  @Test
  void aUrlThatIsNotStoredGetsThe503Page() throws Exception {
    storeThenGoOffline("/page", "max-age=10");

    RawClient.Response r = get("/other");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("X-Gateway-Error")).contains("every uplink");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(served.get()).isOne();
  }

  @Test
  void aFreshResponseIsAHitAsAlways() throws Exception {
    storeThenGoOffline("/fresh", "max-age=600");

    assertThat(get("/fresh").bodyText()).isEqualTo("stored /fresh");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
  }

  /** The responses that forbid serving them stale, whatever the connection (RFC 9111 4.2.4). */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "5.2.2.2 must-revalidate   | 'max-age=10, must-revalidate'",
        "5.2.2.8 proxy-revalidate  | 'max-age=10, proxy-revalidate'",
        "5.2.2.10 s-maxage         | 's-maxage=10'",
        "5.2.2.4 no-cache          | 'no-cache'",
      })
  void aResponseThatForbidsStaleUseGetsThe503Page(String clause, String responseCacheControl)
      throws Exception {
    storeThenGoOffline("/strict", responseCacheControl);

    RawClient.Response r = get("/strict");

    assertThat(r.status()).isEqualTo(503);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
  }

  @Test
  void aClientThatAsksForNoCacheGetsThe503Page() throws Exception {
    storeThenGoOffline("/page", "max-age=10");

    assertThat(get("/page", "Cache-Control", "no-cache").status()).isEqualTo(503);
  }

  @Test
  void onceAnUplinkIsBackTheStaleResponseIsRevalidated() throws Exception {
    storeThenGoOffline("/page", "max-age=10");
    get("/page");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_FAIL_OLD);
    uplink.up();

    assertThat(get("/page").bodyText()).isEqualTo("stored /page");

    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_MODIFIED);
    assertThat(served.get()).isEqualTo(2);
  }
}
