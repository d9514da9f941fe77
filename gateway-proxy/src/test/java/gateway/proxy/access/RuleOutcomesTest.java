package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.LimitsConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.metrics.RuleCounters;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a rule's decision leaves behind: the rule's name in the access-log record (one more field of
 * the line) and in the per-rule counters; and rules on the response, which replace a response they
 * deny with the 403 page and close the origin connection.
 */
class RuleOutcomesTest {
  RawOrigin origin;
  RunningProxy proxy;

  /** Counts down when the origin sees its connection closed before it sent the whole body. */
  final CountDownLatch originCut = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    // /video: a video of 20 MiB; /big: 60 MiB of zip; anything else: a small text page.
    origin =
        RawOrigin.start(
            socket -> {
              StringBuilder b = new StringBuilder();
              int c;
              while (!b.toString().endsWith("\r\n\r\n")
                  && (c = socket.getInputStream().read()) != -1) {
                b.append((char) c);
              }
              String path = b.toString().split(" ")[1].replaceFirst("http://[^/]+", "");
              String type =
                  path.startsWith("/video")
                      ? "video/mp4"
                      : path.startsWith("/big") ? "application/zip" : "text/plain";
              long size =
                  path.startsWith("/video") ? 20L << 20 : path.startsWith("/big") ? 60L << 20 : 5;
              OutputStream out = socket.getOutputStream();
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Type: "
                          + type
                          + "\r\nContent-Length: "
                          + size
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
              try {
                byte[] chunk = new byte[(int) Math.min(size, 64 * 1024)];
                for (long left = size; left > 0; left -= chunk.length) {
                  out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.flush();
              } catch (IOException e) {
                originCut.countDown();
              }
            });
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withLimits(new LimitsConfig(8192, 65536, 100, 1))
                .withAccess(
                    List.of(
                        new AccessRuleConfig(
                            "no-video",
                            AccessAction.DENY,
                            List.of(),
                            Optional.empty(),
                            Optional.empty(),
                            List.of(),
                            List.of(),
                            List.of(),
                            Optional.empty(),
                            List.of(),
                            List.of(),
                            List.of("video/*"),
                            OptionalLong.empty()),
                        new AccessRuleConfig(
                            "no-huge-downloads",
                            AccessAction.DENY,
                            List.of(),
                            Optional.empty(),
                            Optional.empty(),
                            List.of(),
                            List.of(),
                            List.of(),
                            Optional.empty(),
                            List.of(),
                            List.of(),
                            List.of(),
                            OptionalLong.of(50L << 20)),
                        new AccessRuleConfig(
                            "no-social",
                            AccessAction.DENY,
                            List.of("social.example"),
                            Optional.empty(),
                            Optional.empty()))));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void aDeniedRequestIsLoggedWithItsRulesNameAndCounted() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://social.example/ HTTP/1.1\r\nHost: social.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(403);
    }

    AccessRecord r = proxy.nextRecord();
    assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.rule()).isEqualTo("no-social");
    assertThat(proxy.policies().counters().get("no-social"))
        .isEqualTo(new RuleCounters.Counts(1, 1));
  }

  @Test
  void aResponseOfADeniedContentTypeIsReplacedByThe403PageAndTheOriginIsCut() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + url("/video/cat.mp4") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Content-Type")).startsWith("text/html");
      assertThat(r.header("X-Gateway-Error")).contains("no-video");
      assertThat(r.bodyText()).contains("video/mp4");
      // The connection to the client goes on: the next request is served.
      c.send("GET " + url("/page") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    assertThat(originCut.await(10, TimeUnit.SECONDS))
        .as("the origin's connection was closed")
        .isTrue();

    AccessRecord denied = proxy.nextRecord();
    assertThat(denied.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.rule()).isEqualTo("no-video");
    assertThat(proxy.nextRecord().rule()).isNull();
    assertThat(proxy.policies().counters().get("no-video"))
        .isEqualTo(new RuleCounters.Counts(1, 1));
  }

  @Test
  void aResponseLargerThanTheRulesSizeIsDeniedASmallerOneGoesThrough() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + url("/big.zip") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("X-Gateway-Error")).contains("no-huge-downloads");
    }
    assertThat(proxy.nextRecord().rule()).isEqualTo("no-huge-downloads");
    assertThat(proxy.policies().counters().snapshot())
        .containsEntry("no-huge-downloads", new RuleCounters.Counts(1, 1))
        .doesNotContainKey("no-video");
  }

  @Test
  void aConnectionOverTheLimitIsLoggedAndCountedUnderTheLimitsName() throws Exception {
    try (RawClient first = new RawClient(proxy.address())) {
      first.send("GET " + url("/page") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
      assertThat(first.read().status()).isEqualTo(200);
      RawClient second = new RawClient(proxy.address());
      second.send("GET " + url("/page") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
      assertThat(second.read().status()).isEqualTo(429);
      second.close();
    }
    List<AccessRecord> records = List.of(proxy.nextRecord(), proxy.nextRecord());
    AccessRecord refused =
        records.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(refused.rule()).isEqualTo(RuleCounters.CLIENT_CONNECTIONS);
    assertThat(proxy.policies().counters().get(RuleCounters.CLIENT_CONNECTIONS).denies())
        .isEqualTo(1);
  }

  String url(String path) {
    return "http://127.0.0.1:" + origin.port() + path;
  }

  String authority() {
    return "127.0.0.1:" + origin.port();
  }
}
