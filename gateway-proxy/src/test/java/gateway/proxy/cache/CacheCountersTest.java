package gateway.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.CacheConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.store.CacheStats;
import gateway.proxy.cache.store.CacheStore;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers the status page and metrics show, after a known sequence of requests through a
 * running proxy: hit ratio and byte-hit ratio from {@link HttpCache#counters()}, sizes from the
 * store's {@link CacheStore#stats()}.
 */
class CacheCountersTest {
  @TempDir Path dir;
  TestOrigin origin;
  RunningProxy proxy;

  /**
   * Serves {@code /<name>/<length>} with a body derived from the path; {@code /private/} is
   * private.
   */
  @BeforeEach
  void startOrigin() throws IOException {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              String path = seen.target();
              int length = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
              ex.getResponseHeaders()
                  .set("Cache-Control", path.startsWith("/private/") ? "private" : "max-age=600");
              boolean head = seen.method().equals("HEAD");
              boolean post = seen.method().equals("POST");
              ex.sendResponseHeaders(200, head ? -1 : post ? -1 : length);
              if (!head && !post) {
                try (OutputStream out = ex.getResponseBody()) {
                  out.write(UrlBodies.of(path, length));
                }
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  AccessRecord request(String method, String path) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          method
              + " "
              + origin.url(path)
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + (method.equals("POST") ? "\r\nContent-Length: 0" : "")
              + "\r\n\r\n");
      c.read(method.equals("HEAD"));
    }
    return proxy.nextRecord();
  }

  @Test
  void hitRatioAndByteHitRatioCountGetAndHeadRequestsAndTheBytesSent() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
    List<AccessRecord> all = new ArrayList<>();
    all.add(request("GET", "/page/1000"));
    all.add(request("GET", "/page/1000"));
    all.add(request("GET", "/page/1000"));
    all.add(request("HEAD", "/page/1000"));
    all.add(request("GET", "/private/4000"));
    all.add(request("GET", "/private/4000"));
    // Not a request the cache could answer: not counted.
    request("POST", "/form/0");
    assertThat(all)
        .extracting(AccessRecord::action)
        .containsExactly(
            CacheAction.TCP_MISS,
            CacheAction.TCP_MEM_HIT,
            CacheAction.TCP_MEM_HIT,
            CacheAction.TCP_MEM_HIT,
            CacheAction.TCP_MISS,
            CacheAction.TCP_MISS);

    CacheCounters counters = proxy.cache().counters();

    long bytes = all.stream().mapToLong(AccessRecord::bytes).sum();
    long hitBytes = all.subList(1, 4).stream().mapToLong(AccessRecord::bytes).sum();
    assertThat(counters.requests()).isEqualTo(6);
    assertThat(counters.hits()).isEqualTo(3);
    assertThat(counters.bytes()).isEqualTo(bytes);
    assertThat(counters.hitBytes()).isEqualTo(hitBytes);
    // 2 of 1000-byte bodies served from the cache, against 1000 + 2 * 1000 + 2 * 4000 in all.
    double byteHitRatio = (double) counters.hitBytes() / counters.bytes();
    assertThat(byteHitRatio).isBetween(2000.0 / 11_000 + 0.001, 2000.0 / 11_000 + 0.05);
    CacheStats stats = proxy.cache().store().stats();
    assertThat(stats.memoryObjects()).isOne();
    assertThat(stats.memoryBytes()).isBetween(1000L, 1000L + 4096);
    assertThat(stats.diskObjects()).isZero();
  }

  @Test
  void diskUseFollowsWhatIsStoredAndPurged() throws Exception {
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withCache(new CacheConfig(8L << 20, Optional.of(dir), 64L << 20, 32L << 20)));
    request("GET", "/large/" + (5 << 20));
    request("GET", "/small/" + 2000);
    CacheStore store = proxy.cache().store();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> store.stats().diskObjects() == 2);

    CacheStats stored = store.stats();
    assertThat(stored.diskBytes()).isBetween((5L << 20) + 2000, (5L << 20) + 2000 + 8192);
    assertThat(stored.memoryObjects()).as("the large one is on disk only").isOne();

    assertThat(request("PURGE", "/large/" + (5 << 20)).status()).isEqualTo(200);
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> store.stats().diskObjects() == 1 && store.stats().diskBytes() < 8192);
    assertThat(store.stats().diskBytes()).isBetween(2000L, 2000L + 4096);
    assertThat(store.stats().damaged()).isZero();
    assertThat(store.stats().diskWritesDisabled()).isFalse();
  }
}
