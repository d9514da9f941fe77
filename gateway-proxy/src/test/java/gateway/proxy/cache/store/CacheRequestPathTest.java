package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import gateway.core.config.TimeoutsConfig;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.SwitchableUplink;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request path's less travelled roads through the cache: a stored body that is gone when it is
 * served, a revalidation whose 304 is about another response, clients collapsed onto a download
 * that is not stored or fails. Each ends with the client answered correctly and both connections
 * usable.
 */
class CacheRequestPathTest {
  @TempDir Path dir;
  final AtomicReference<TestOrigin.Responder> answer = new AtomicReference<>();
  final AtomicInteger served = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void startOrigin() throws IOException {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              served.incrementAndGet();
              answer.get().respond(ex, seen);
            });
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  /** 200 with {@code body}, validator {@code etag}, stale on arrival (Age beyond max-age). */
  static void staleResponse(HttpExchange ex, byte[] body, String etag, String cacheControl)
      throws IOException {
    ex.getResponseHeaders().set("Cache-Control", cacheControl);
    ex.getResponseHeaders().set("ETag", etag);
    ex.getResponseHeaders().set("Age", "60");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Has the proxy fetch {@code path} once with the origin answering {@code body} as {@link
   * #staleResponse} does, so the cache holds it, and takes that fetch's access record.
   */
  void storeOnce(String path, String body, String etag, String cacheControl) throws Exception {
    answer.set(
        (ex, seen) -> staleResponse(ex, body.getBytes(StandardCharsets.UTF_8), etag, cacheControl));
    get(path);
    proxy.nextRecord();
  }

  /** The origin holds every request until {@link #release}, then answers {@code code}. */
  TestOrigin.Responder afterRelease(int code, String... headers) {
    return (ex, seen) -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      status(ex, code, headers);
    };
  }

  static void status(HttpExchange ex, int code, String... headers) throws IOException {
    for (int i = 0; i < headers.length; i += 2) {
      ex.getResponseHeaders().set(headers[i], headers[i + 1]);
    }
    ex.sendResponseHeaders(code, -1);
  }

  String request(String path) {
    return "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n";
  }

  RawClient.Response get(String path) throws IOException {
    try (RawClient c = new RawClient(proxy.address())) {
      return c.send(request(path)).read();
    }
  }

  String key(String path) {
    return CacheKey.of("127.0.0.1", origin.port(), path);
  }

  @Test
  void aDiskObjectWhoseFileA304RewroteIsServedFromTheNewFile() throws Exception {
    // Disk work on the calling thread: the 304's new head is written, and the old file deleted,
    // before the response is served, which a busy disk executor can do as well.
    TieredStore store = Stores.onDisk(dir, 1 << 20, 64 << 20, 32 << 20);
    proxy = RunningProxy.start(TestConfigs.loopback(), new HttpCache(store));
    byte[] body = UrlBodies.of("/big", 500_000);
    answer.set((ex, seen) -> staleResponse(ex, body, "\"v1\"", "max-age=10"));
    assertThat(get("/big").body()).isEqualTo(body);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(store.get(key("/big")).inMemory()).as("on disk only").isFalse();
    answer.set(
        (ex, seen) -> {
          if (seen.header("If-None-Match") != null) {
            status(ex, 304, "ETag", "\"v1\"", "Cache-Control", "max-age=600");
          } else {
            staleResponse(ex, body, "\"v1\"", "max-age=600");
          }
        });

    RawClient.Response r = get("/big");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.header("Cache-Control")).isEqualTo("max-age=600");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_UNMODIFIED);
    assertThat(get("/big").body()).isEqualTo(body);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void a304AboutAnotherResponseIsFetchedAgainAndLeavesTheOriginConnectionReusable()
      throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
    answer.set(
        (ex, seen) ->
            staleResponse(ex, "v1".getBytes(StandardCharsets.UTF_8), "\"v1\"", "max-age=10"));
    // One client connection, so that every request uses the same event loop's origin pool.
    try (RawClient c = new RawClient(proxy.address())) {
      assertThat(c.send(request("/page")).read().bodyText()).isEqualTo("v1");
      answer.set(
          (ex, seen) -> {
            if (seen.header("If-None-Match") != null) {
              status(ex, 304, "ETag", "\"v2\"");
            } else {
              staleResponse(ex, "v2".getBytes(StandardCharsets.UTF_8), "\"v2\"", "max-age=600");
            }
          });

      assertThat(c.send(request("/page")).read().bodyText()).isEqualTo("v2");
      assertThat(c.send(request("/elsewhere")).read().bodyText()).isEqualTo("v2");
    }

    assertThat(served.get()).isEqualTo(4);
    assertThat(origin.connections()).as("one origin connection, kept alive throughout").isOne();
  }

  @Test
  void aClientCollapsedOntoAResponseThatIsNotStoredFetchesItsOwnAndKeepsItsConnection()
      throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
    AtomicInteger asked = new AtomicInteger();
    answer.set(
        (ex, seen) -> {
          if (asked.incrementAndGet() == 1) {
            try {
              // The first response waits until the second client waits on it.
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          ex.getResponseHeaders().set("Cache-Control", "private");
          ex.sendResponseHeaders(200, 4);
          try (OutputStream out = ex.getResponseBody()) {
            out.write("mine".getBytes(StandardCharsets.UTF_8));
          }
        });
    try (RawClient first = new RawClient(proxy.address());
        RawClient second = new RawClient(proxy.address())) {
      first.send(request("/private"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served.get() == 1);
      second.send(request("/private"));
      Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> proxy.cache().followersOf(key("/private")) == 1);
      release.countDown();
      assertThat(first.read().bodyText()).isEqualTo("mine");
      assertThat(second.read().bodyText()).isEqualTo("mine");

      assertThat(second.send(request("/private")).read().bodyText())
          .as("the same connection serves the next request")
          .isEqualTo("mine");
    }
    assertThat(served.get()).isEqualTo(3);
  }

  @Test
  void clientsCollapsedOntoAFailedRevalidationGetTheStaleResponseToo() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
    storeOnce("/s", "old", "\"o\"", "max-age=10, stale-if-error=600");
    answer.set(afterRelease(503));
    try (RawClient first = new RawClient(proxy.address());
        RawClient second = new RawClient(proxy.address())) {
      first.send(request("/s"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> served.get() == 2);
      second.send(request("/s"));
      Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> proxy.cache().followersOf(key("/s")) == 1);
      release.countDown();

      RawClient.Response a = first.read();
      RawClient.Response b = second.read();

      assertThat(List.of(a.status(), b.status())).containsExactly(200, 200);
      assertThat(a.bodyText()).isEqualTo("old");
      assertThat(b.bodyText()).isEqualTo("old");
    }
    assertThat(List.of(proxy.nextRecord().action(), proxy.nextRecord().action()))
        .containsOnly(CacheAction.TCP_REFRESH_FAIL_OLD);
  }

  @Test
  void aRevalidationTheOriginDoesNotAnswerInTimeServesTheStaleCopyWhereStaleIfErrorAllows()
      throws Exception {
    TimeoutsConfig t = TestConfigs.loopback().timeouts();
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withTimeouts(
                    new TimeoutsConfig(
                        t.connect(), t.requestHeader(), Duration.ofMillis(300), t.idle())));
    storeOnce("/s", "old", "\"o\"", "max-age=10, stale-if-error=600");
    answer.set(afterRelease(304, "ETag", "\"o\""));

    RawClient.Response r = get("/s");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("old");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_FAIL_OLD);
  }

  /**
   * A store whose objects are found, but whose bodies are gone by the time they are opened (evicted
   * or found damaged in between) while {@link #vanish} is set.
   */
  static final class VanishingBodies extends ForwardingCacheStore {
    volatile boolean vanish;

    VanishingBodies(CacheStore store) {
      super(store);
    }

    record Gone(CachedObject found) implements CachedObject {
      @Override
      public StoredHead head() {
        return found.head();
      }

      @Override
      public long length() {
        return found.length();
      }

      @Override
      public boolean inMemory() {
        return found.inMemory();
      }

      @Override
      public CompletionStage<Boolean> bodyCheck() {
        return null;
      }

      @Override
      public Body open() {
        return null;
      }
    }

    @Override
    public CachedObject get(String key) {
      CachedObject found = store.get(key);
      return found != null && vanish ? new Gone(found) : found;
    }
  }

  @Test
  void aHitWhoseBodyIsGoneIsFetchedLikeAMissOnAConnectionThatStaysUsable() throws Exception {
    VanishingBodies store =
        new VanishingBodies(
            TieredStore.memoryOnly(
                8 << 20, 1 << 20, UnpooledByteBufAllocator.DEFAULT, Runnable::run));
    proxy = RunningProxy.start(TestConfigs.loopback(), new HttpCache(store));
    storeOnce("/f", "fresh", "\"f\"", "max-age=600");
    store.vanish = true;

    try (RawClient c = new RawClient(proxy.address())) {
      assertThat(c.send(request("/f")).read().bodyText()).isEqualTo("fresh");
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(c.send(request("/f")).read().bodyText()).isEqualTo("fresh");
    }
    assertThat(served.get()).isEqualTo(3);
  }

  @Test
  void aStaleResponseWhoseBodyIsGoneWhileEveryUplinkIsDownGetsThe503Page() throws Exception {
    VanishingBodies store =
        new VanishingBodies(
            TieredStore.memoryOnly(
                8 << 20, 1 << 20, UnpooledByteBufAllocator.DEFAULT, Runnable::run));
    SwitchableUplink uplink = new SwitchableUplink();
    proxy = RunningProxy.start(TestConfigs.loopback(), uplink, new HttpCache(store));
    storeOnce("/s", "old", "\"o\"", "max-age=10");
    assertThat(proxy.cache().find(key("/s"), new DefaultHttpHeaders())).isNotNull();
    uplink.down();
    store.vanish = true;

    RawClient.Response r = get("/s");

    assertThat(r.status()).isEqualTo(503);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
  }
}
