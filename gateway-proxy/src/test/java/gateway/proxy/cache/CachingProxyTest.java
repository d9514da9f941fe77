package gateway.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache in the running proxy, against a real origin on loopback whose answers each test sets.
 * The proxy's clock is the test's. The origin's Date is always the real time (the JDK server sets
 * it), so a test that needs a stale response gets it with an {@code Age} beyond its max-age rather
 * than by moving the clock past a Date the origin would contradict on revalidation.
 */
class CachingProxyTest {
  final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  final AtomicReference<Answer> answer = new AtomicReference<>();
  final AtomicInteger served = new AtomicInteger();
  TestOrigin origin;
  RunningProxy proxy;

  /** What the origin answers next. */
  @FunctionalInterface
  interface Answer {
    void send(HttpExchange ex, TestOrigin.Seen seen) throws IOException;
  }

  @BeforeEach
  void start() throws Exception {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              served.incrementAndGet();
              answer.get().send(ex, seen);
            });
    proxy = RunningProxy.start(TestConfigs.loopback(), now::get);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  static Answer body(String text, String... headers) {
    return (ex, seen) -> {
      for (int i = 0; i < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(200, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    };
  }

  static Answer status(int code, String... headers) {
    return (ex, seen) -> {
      for (int i = 0; i < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      ex.sendResponseHeaders(code, -1);
    };
  }

  RawClient.Response get(String path, String... headers) throws IOException {
    return request("GET", path, headers);
  }

  RawClient.Response request(String method, String path, String... headers) throws IOException {
    StringBuilder req =
        new StringBuilder(
            method + " " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(req.append("\r\n").toString());
      RawClient.Response head = c.readHead();
      boolean noBody = method.equals("HEAD") || head.status() == 204 || head.status() == 304;
      return new RawClient.Response(
          head.statusLine(), head.headers(), noBody ? new byte[0] : c.readBody(head));
    }
  }

  AccessRecord record() throws InterruptedException {
    return proxy.nextRecord();
  }

  @Test
  void aFreshResponseIsServedFromMemoryWithItsAge() throws Exception {
    answer.set(body("hello", "Cache-Control", "max-age=60"));
    assertThat(get("/a").bodyText()).isEqualTo("hello");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_MISS);

    now.addAndGet(5_000);
    RawClient.Response hit = get("/a");

    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.bodyText()).isEqualTo("hello");
    assertThat(Long.parseLong(hit.header("Age"))).isBetween(5L, 7L);
    assertThat(served.get()).isEqualTo(1);
    AccessRecord r = record();
    assertThat(r.action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(r.uplink()).isNull();
  }

  @Test
  void responsesTheRulesForbidToStoreAlwaysGoToTheOrigin() throws Exception {
    answer.set(body("secret", "Cache-Control", "private, max-age=60"));
    get("/private");
    get("/private");
    answer.set(body("nope", "Cache-Control", "no-store, max-age=60"));
    get("/no-store");
    get("/no-store");

    assertThat(served.get()).isEqualTo(4);
  }

  @Test
  void aRequestWithAuthorizationIsNotStoredUnlessTheResponseSaysPublic() throws Exception {
    answer.set(body("mine", "Cache-Control", "max-age=60"));
    get("/auth", "Authorization", "Basic dTpw");
    get("/auth", "Authorization", "Basic dTpw");
    assertThat(served.get()).isEqualTo(2);

    answer.set(body("shared", "Cache-Control", "public, max-age=60"));
    get("/auth-public", "Authorization", "Basic dTpw");
    get("/auth-public", "Authorization", "Basic dTpw");
    assertThat(served.get()).isEqualTo(3);
  }

  @Test
  void aStaleResponseIsRevalidatedAndA304ServesTheStoredBody() throws Exception {
    answer.set(body("v1", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "Age", "60"));
    get("/page");
    record();
    AtomicReference<String> asked = new AtomicReference<>();
    answer.set(
        (ex, seen) -> {
          asked.set(seen.header("If-None-Match"));
          status(304, "Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Refreshed", "yes")
              .send(ex, seen);
        });

    RawClient.Response r = get("/page");

    assertThat(asked.get()).isEqualTo("\"v1\"");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("v1");
    assertThat(r.header("X-Refreshed")).isEqualTo("yes");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_REFRESH_UNMODIFIED);
    // Fresh again: the next request is a hit.
    get("/page");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void aStaleResponseTheOriginChangedIsReplaced() throws Exception {
    answer.set(body("v1", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "Age", "60"));
    get("/page");
    record();
    answer.set(body("v2", "Cache-Control", "max-age=10", "ETag", "\"v2\""));

    assertThat(get("/page").bodyText()).isEqualTo("v2");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_REFRESH_MODIFIED);
    assertThat(get("/page").bodyText()).isEqualTo("v2");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
  }

  @Test
  void aClientWhoseCopyIsCurrentGets304FromTheCache() throws Exception {
    answer.set(body("v1", "Cache-Control", "max-age=60", "ETag", "\"v1\""));
    get("/page");
    record();

    RawClient.Response r = get("/page", "If-None-Match", "\"v1\"");

    assertThat(r.status()).isEqualTo(304);
    assertThat(r.header("ETag")).isEqualTo("\"v1\"");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_IMS_HIT);
    assertThat(served.get()).isEqualTo(1);
  }

  @Test
  void variantsAreStoredPerVaryingRequestHeader() throws Exception {
    answer.set(
        (ex, seen) ->
            body(
                    "lang " + seen.header("Accept-Language"),
                    "Cache-Control",
                    "max-age=60",
                    "Vary",
                    "Accept-Language")
                .send(ex, seen));
    get("/v", "Accept-Language", "en");
    get("/v", "Accept-Language", "fr");

    assertThat(get("/v", "Accept-Language", "en").bodyText()).isEqualTo("lang en");
    assertThat(get("/v", "Accept-Language", "fr").bodyText()).isEqualTo("lang fr");
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void anUnsafeRequestInvalidatesTheStoredResponse() throws Exception {
    answer.set(body("list", "Cache-Control", "max-age=60"));
    get("/items");
    answer.set(status(204));
    request("POST", "/items", "Content-Length", "0");
    answer.set(body("list 2", "Cache-Control", "max-age=60"));

    assertThat(get("/items").bodyText()).isEqualTo("list 2");
    assertThat(served.get()).isEqualTo(3);
  }

  @Test
  void anUnsafeRequestWithABodyInvalidatesTheStoredResponseToo() throws Exception {
    answer.set(body("list", "Cache-Control", "max-age=60"));
    get("/items");
    answer.set(status(204));
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "POST "
              + origin.url("/items")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnew entry");
      assertThat(c.read(true).status()).isEqualTo(204);
    }
    answer.set(body("list 2", "Cache-Control", "max-age=60"));

    assertThat(get("/items").bodyText()).isEqualTo("list 2");
    assertThat(served.get()).isEqualTo(3);
  }

  @Test
  void headIsAnsweredFromTheStoredGet() throws Exception {
    answer.set(body("twelve bytes", "Cache-Control", "max-age=60"));
    get("/h");
    record();

    RawClient.Response r = request("HEAD", "/h");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Length")).isEqualTo("12");
    assertThat(r.body()).isEmpty();
    assertThat(record().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(served.get()).isEqualTo(1);
  }

  @Test
  void aRangeOfAStoredResponseIsServedAs206() throws Exception {
    answer.set(body("0123456789", "Cache-Control", "max-age=60"));
    get("/r");

    RawClient.Response part = get("/r", "Range", "bytes=2-5");
    RawClient.Response none = get("/r", "Range", "bytes=20-");

    assertThat(part.status()).isEqualTo(206);
    assertThat(part.bodyText()).isEqualTo("2345");
    assertThat(part.header("Content-Range")).isEqualTo("bytes 2-5/10");
    assertThat(none.status()).isEqualTo(416);
    assertThat(none.header("Content-Range")).isEqualTo("bytes */10");
    assertThat(served.get()).isEqualTo(1);
  }

  @Test
  void onlyIfCachedWithNothingStoredIs504() throws Exception {
    RawClient.Response r = get("/nothing", "Cache-Control", "only-if-cached");

    assertThat(r.status()).isEqualTo(504);
    assertThat(served.get()).isZero();
  }

  @Test
  void staleIfErrorServesTheStoredResponseWhenTheOriginFails() throws Exception {
    answer.set(
        body(
            "old",
            "Cache-Control",
            "max-age=10, stale-if-error=600",
            "ETag",
            "\"o\"",
            "Age",
            "60"));
    get("/s");
    record();
    answer.set(status(503));

    RawClient.Response r = get("/s");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("old");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_REFRESH_FAIL_OLD);
  }

  @Test
  void aStaleResponseWithoutStaleIfErrorPassesTheErrorOn() throws Exception {
    answer.set(body("old", "Cache-Control", "max-age=10", "ETag", "\"o\"", "Age", "60"));
    get("/s");
    answer.set(status(503));

    assertThat(get("/s").status()).isEqualTo(503);
  }

  @Test
  void purgeFromTheBoxRemovesTheUrl() throws Exception {
    answer.set(body("p", "Cache-Control", "max-age=60"));
    get("/p");

    assertThat(request("PURGE", "/p").status()).isEqualTo(200);
    assertThat(request("PURGE", "/p").status()).isEqualTo(404);
    get("/p");
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void aKeptAliveConnectionServesTheNextRequestAfterAPurge() throws Exception {
    answer.set(body("p", "Cache-Control", "max-age=60"));
    get("/p");

    try (RawClient c = new RawClient(proxy.address())) {
      c.send("PURGE " + origin.url("/p") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      c.send("GET " + origin.url("/p") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      assertThat(c.read().bodyText()).isEqualTo("p");
    }
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void anObjectLargerThanTheLargestCachedPassesThroughUncached() throws Exception {
    // The test config caches objects up to 16 MiB.
    String big = "x".repeat(17 << 20);
    answer.set(body(big, "Cache-Control", "max-age=60"));
    assertThat(get("/big").body()).hasSize(big.length());
    assertThat(get("/big").body()).hasSize(big.length());
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void staleWhileRevalidateServesTheStoredCopyAtOnceAndRefreshesItBehind() throws Exception {
    answer.set(
        body(
            "v1",
            "Cache-Control",
            "max-age=10, stale-while-revalidate=600",
            "ETag",
            "\"v1\"",
            "Age",
            "60"));
    get("/swr");
    record();
    CountDownLatch release = new CountDownLatch(1);
    answer.set(
        (ex, seen) -> {
          try {
            // The refresh is held back: the client must not wait for it.
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          body("v2", "Cache-Control", "max-age=60", "ETag", "\"v2\"").send(ex, seen);
        });

    RawClient.Response stale = get("/swr");

    assertThat(stale.bodyText()).isEqualTo("v1");
    assertThat(record().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    release.countDown();
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> get("/swr").bodyText().equals("v2"));
    assertThat(served.get()).isEqualTo(2);
  }
}
