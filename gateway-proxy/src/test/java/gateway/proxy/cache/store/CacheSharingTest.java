package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What one client's exchange leaves in the shared cache for the next client: never the first one's
 * cookie, never a response the origin withdrew from sharing, never one response under another URL's
 * key, never a stale response as fresh. Each client is a new connection, as another user's would
 * be. The stored responses are made stale with an {@code Age} beyond their max-age (the origin's
 * Date is the real time).
 */
class CacheSharingTest {
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
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  /** A 200 with {@code text}, or a bodiless {@code status}, with the header pairs given. */
  static Answer respond(int status, String text, String... headers) {
    return (ex, seen) -> {
      for (int i = 0; i < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (status != 200 || ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  /**
   * A stale stored response for {@code path} with ETag "v1" and stale-while-revalidate if asked.
   */
  void storeStale(String path, String cacheControl) throws Exception {
    answer.set(respond(200, "v1", "Cache-Control", cacheControl, "ETag", "\"v1\"", "Age", "60"));
    assertThat(get(path).bodyText()).isEqualTo("v1");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
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
      RawClient.Response head = c.readHead();
      return new RawClient.Response(
          head.statusLine(), head.headers(), head.status() == 304 ? new byte[0] : c.readBody(head));
    }
  }

  @Test
  void aRevalidating304sCookieGoesToItsClientAndNotToTheNextOne() throws Exception {
    // RFC 9111 3.2 and 7.3: a shared cache must not hand one user's Set-Cookie to another.
    storeStale("/page", "max-age=10");
    answer.set(
        respond(
            304,
            "",
            "Cache-Control",
            "max-age=60",
            "ETag",
            "\"v1\"",
            "Set-Cookie",
            "session=alice",
            "Set-Cookie2",
            "legacy=alice"));

    RawClient.Response alice = get("/page");

    assertThat(alice.bodyText()).isEqualTo("v1");
    assertThat(alice.header("Set-Cookie")).isEqualTo("session=alice");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_UNMODIFIED);

    RawClient.Response bob = get("/page");

    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(bob.bodyText()).isEqualTo("v1");
    assertThat(bob.header("Set-Cookie")).as("alice's session, handed to bob").isNull();
    assertThat(bob.header("Set-Cookie2")).isNull();
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void aClientWhoseOwnCopyIsCurrentGetsThe304sCookieInItsOwn304Only() throws Exception {
    storeStale("/page", "max-age=10");
    answer.set(
        respond(
            304,
            "",
            "Cache-Control",
            "max-age=60",
            "ETag",
            "\"v1\"",
            "Set-Cookie",
            "session=alice"));

    RawClient.Response alice = get("/page", "If-None-Match", "\"v1\"");

    assertThat(alice.status()).isEqualTo(304);
    assertThat(alice.header("Set-Cookie")).isEqualTo("session=alice");
    proxy.nextRecord();

    RawClient.Response bob = get("/page", "If-None-Match", "\"v1\"");

    assertThat(bob.status()).isEqualTo(304);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_IMS_HIT);
    assertThat(bob.header("Set-Cookie")).isNull();
  }

  @Test
  void aBackgroundRefreshLeavesTheCookieOfIts304OutOfTheStoredResponse() throws Exception {
    // RFC 5861 3: the refresh answers no client, so the 304's cookie goes to no one.
    storeStale("/swr", "max-age=10, stale-while-revalidate=600");
    answer.set(
        respond(
            304,
            "",
            "Cache-Control",
            "max-age=60",
            "ETag",
            "\"v1\"",
            "Set-Cookie",
            "session=alice",
            "X-Refreshed",
            "yes"));

    assertThat(get("/swr").bodyText()).isEqualTo("v1");
    proxy.nextRecord();
    String url = CacheKey.of("127.0.0.1", origin.port(), "/swr");
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                "yes"
                    .equals(
                        proxy
                            .cache()
                            .find(url, new DefaultHttpHeaders())
                            .head()
                            .headers()
                            .get("X-Refreshed")));

    RawClient.Response bob = get("/swr");

    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(bob.header("Set-Cookie")).isNull();
    assertThat(served.get()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      RFC 9111 5.2.2.7: private is for one user  | Cache-Control | private, max-age=60
      RFC 9111 5.2.2.5: no-store                 | Cache-Control | no-store, max-age=60
      RFC 9111 4.1: Vary * can never be selected | Vary          | *
      """)
  void a304ThatWithdrawsTheResponseFromSharingEndsItsReuse(String rfc, String name, String value)
      throws Exception {
    // The updated response may not be stored by a shared cache: no later client is answered from
    // the stored copy, while the client whose request brought the 304 still gets its answer.
    storeStale("/page", "max-age=10");
    AtomicInteger asked = new AtomicInteger();
    answer.set(
        (ex, seen) -> {
          if (asked.incrementAndGet() == 1) {
            respond(304, "", "Cache-Control", "max-age=60", "ETag", "\"v1\"", name, value)
                .send(ex, seen);
          } else {
            respond(200, "v2 for " + asked.get(), name, value).send(ex, seen);
          }
        });

    RawClient.Response first = get("/page");

    assertThat(first.status()).as(rfc).isEqualTo(200);
    assertThat(first.bodyText()).as(rfc).startsWith("v");
    proxy.nextRecord();

    RawClient.Response next = get("/page");

    assertThat(proxy.nextRecord().action())
        .as(rfc)
        .isNotIn(CacheAction.TCP_HIT, CacheAction.TCP_MEM_HIT, CacheAction.TCP_REFRESH_UNMODIFIED);
    assertThat(next.bodyText()).as(rfc).startsWith("v2 for ");
    assertThat(
            proxy
                .cache()
                .find(CacheKey.of("127.0.0.1", origin.port(), "/page"), new DefaultHttpHeaders()))
        .as(rfc)
        .isNull();
  }

  @Test
  void aResponseWhoseExpiresIsNotAnHttpDateIsStaleAtOnce() throws Exception {
    // RFC 9111 5.3: an invalid Expires means "already expired"; RFC 9110 5.6.7 has three date
    // formats, and a zone other than GMT is none of them. Stored (it has a validator), revalidated.
    String tomorrowInUtc =
        DateTimeFormatter.RFC_1123_DATE_TIME
            .format(ZonedDateTime.now(ZoneOffset.UTC).plusDays(1))
            .replace("GMT", "UTC");
    answer.set(respond(200, "v1", "Expires", tomorrowInUtc, "ETag", "\"v1\""));
    get("/expires");
    proxy.nextRecord();
    answer.set(respond(304, "", "ETag", "\"v1\"", "Expires", tomorrowInUtc));

    RawClient.Response again = get("/expires");

    assertThat(again.bodyText()).isEqualTo("v1");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REFRESH_UNMODIFIED);
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void targetsSpelledDifferentlyAreStoredApart() throws Exception {
    // RFC 3986 6.2.2.2 calls /x%61bc and /xabc equivalent, but the origin is told what the client
    // wrote and may answer each differently: the cache keys them apart, as Squid does.
    answer.set(
        (ex, seen) ->
            respond(200, "for " + seen.target(), "Cache-Control", "max-age=60").send(ex, seen));

    assertThat(get("/x%61bc").bodyText()).isEqualTo("for /x%61bc");
    proxy.nextRecord();
    assertThat(get("/xabc").bodyText()).isEqualTo("for /xabc");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(get("/x%61bc").bodyText()).isEqualTo("for /x%61bc");
    assertThat(get("/xabc").bodyText()).isEqualTo("for /xabc");
    assertThat(get("/x%2fy").bodyText()).isEqualTo("for /x%2fy");
    assertThat(get("/x%2Fy").bodyText()).isEqualTo("for /x%2Fy");
    assertThat(served.get()).isEqualTo(4);
  }

  @Test
  void aBackground304ThatMakesTheResponsePrivateRemovesIt() throws Exception {
    // RFC 9111 5.2.2.7 through stale-while-revalidate (RFC 5861 3): no client waits on the refresh,
    // and after it no client is served the copy the origin made private.
    storeStale("/swr", "max-age=10, stale-while-revalidate=600");
    answer.set(respond(304, "", "Cache-Control", "private, max-age=60", "ETag", "\"v1\""));

    assertThat(get("/swr").bodyText()).isEqualTo("v1");
    proxy.nextRecord();
    String url = CacheKey.of("127.0.0.1", origin.port(), "/swr");
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> proxy.cache().find(url, new DefaultHttpHeaders()) == null);
    answer.set(respond(200, "v2", "Cache-Control", "private, max-age=60"));

    assertThat(get("/swr").bodyText()).isEqualTo("v2");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
  }

  @Test
  void aStoredResponseCarryingACookieIsDroppedNotServed() throws Exception {
    // An entry a 304 gave a cookie before 304s were kept from doing so (on disk, it outlives the
    // upgrade): RFC 9111 7.3, as in Storability, it is not handed to anyone.
    String url = CacheKey.of("127.0.0.1", origin.port(), "/old");
    HttpHeaders headers =
        new DefaultHttpHeaders()
            .add("Cache-Control", "max-age=600")
            .add("Set-Cookie", "session=alice");
    long now = System.currentTimeMillis();
    ObjectWriter writer =
        proxy.cache().store().begin(new StoredHead(url, "", 200, headers, now, now), 2);
    assertThat(Bodies.write(writer, "v1".getBytes(StandardCharsets.UTF_8), 2)).isTrue();
    assertThat(writer.commit().get(5, TimeUnit.SECONDS)).isTrue();
    answer.set(respond(200, "v2", "Cache-Control", "max-age=60"));

    RawClient.Response bob = get("/old");

    assertThat(bob.header("Set-Cookie")).isNull();
    assertThat(bob.bodyText()).isEqualTo("v2");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
  }
}
