package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access rules applied by the running proxy, with a clock the test sets (UTC). Denied requests
 * never reach DNS or the origin. 2026-11-23 is a Monday.
 */
class AccessRulesProxyTest {
  static final long MONDAY_10 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
  static final long MONDAY_20 = Instant.parse("2026-11-23T20:00:00Z").toEpochMilli();

  final AtomicLong now = new AtomicLong(MONDAY_10);
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withConnectPorts(Set.of(443))
                .withAccess(
                    List.of(
                        new AccessRuleConfig(
                            "no-video-office-hours",
                            AccessAction.DENY,
                            List.of("*.videos.example", "127.0.0.1"),
                            Optional.of(TimeWindow.parse("mon-fri 08:00-16:00")),
                            Optional.empty()),
                        new AccessRuleConfig(
                            "social-to-intranet",
                            AccessAction.REDIRECT,
                            List.of("social.example"),
                            Optional.empty(),
                            Optional.of("http://intranet.office/rules.html")))),
            now::get);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void aDeniedDomainGets403NamingTheRuleAndIsLoggedAsDenied() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://www.videos.example/watch HTTP/1.1\r\nHost: www.videos.example\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("X-Gateway-Error")).contains("no-video-office-hours");
      // The connection stays usable for the next request.
      c.send("GET http://social.example/ HTTP/1.1\r\nHost: social.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(302);
    }
    AccessRecord record = proxy.nextRecord();
    assertThat(record.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(record.status()).isEqualTo(403);
    assertThat(record.url()).isEqualTo("http://www.videos.example/watch");
  }

  @Test
  void aDeniedDomainIsDeniedOverConnectToo() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("CONNECT www.videos.example:443 HTTP/1.1\r\nHost: www.videos.example:443\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("X-Gateway-Error")).contains("no-video-office-hours");
    }
    assertThat(proxy.nextRecord().method()).isEqualTo("CONNECT");
  }

  @Test
  void aRedirectRuleAnswers302WithItsLocation() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://social.example/feed HTTP/1.1\r\nHost: social.example\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(302);
      assertThat(r.header("Location")).isEqualTo("http://intranet.office/rules.html");
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_REDIRECT);
  }

  @Test
  void aRuleWithATimeWindowOnlyBitesInsideIt() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET "
              + origin.url("/in-hours")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(403);

      now.set(MONDAY_20);
      c.send(
          "GET "
              + origin.url("/after-hours")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("GET /after-hours");
    }
    assertThat(origin.requestsSeen()).isEqualTo(1);
  }
}
