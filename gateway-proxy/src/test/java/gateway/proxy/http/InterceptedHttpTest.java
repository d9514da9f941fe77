package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.net.Cidr;
import gateway.proxy.testing.InterceptedListener;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestDnsServer;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.upstream.UplinkChooser;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that set no proxy, its connection to an origin intercepted (transparent mode) and taken
 * over by {@link InterceptedHttp}: the request goes through admission, the access rules, the cache
 * and the origin leg like a proxied one, but only ever to the address the client connected to, and
 * the shared cache stores it under {@code http://Host/path} only when that {@code Host} is the
 * address or resolves to it. The "transparent" listener here is a plain loopback one with the
 * original destination injected: the origin's address.
 */
class InterceptedHttpTest {
  TestOrigin origin;
  TestDnsServer dns;
  RunningProxy proxy;
  InterceptedListener intercepted;

  @BeforeEach
  void start() throws Exception {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              ex.getResponseHeaders().set("Cache-Control", "max-age=600");
              TestOrigin.send(
                  ex, 200, "text/plain", "origin: " + seen.header("Host") + " " + seen.target());
            });
    // origin.test is the origin's own name; bank.test is another site's, not at that address.
    dns = TestDnsServer.start().add("origin.test", "127.0.0.1").add("bank.test", "127.0.0.2");
    start(TestConfigs.loopback());
  }

  void start(GatewayConfig config) throws Exception {
    if (proxy != null) {
      intercepted.close();
      proxy.close();
    }
    proxy = RunningProxy.start(config, UplinkChooser.unbound(), List.of(dns.address()));
    intercepted = InterceptedListener.start(proxy, destination());
  }

  @AfterEach
  void stop() throws Exception {
    intercepted.close();
    proxy.close();
    dns.close();
    origin.close();
  }

  InetSocketAddress destination() {
    return new InetSocketAddress("127.0.0.1", origin.port());
  }

  String get(String path, String host) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  }

  @Test
  void aHostNamingTheDestinationIsServedAndItsSecondRequestIsACacheHit() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response first = c.send(get("/obj", "origin.test")).read();
      RawClient.Response second = c.send(get("/obj", "origin.test")).read();

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.bodyText()).isEqualTo("origin: origin.test:" + origin.port() + " /obj");
      assertThat(second.bodyText()).isEqualTo(first.bodyText());
    }
    assertThat(origin.requestsSeen()).isEqualTo(1);
    String url = "http://origin.test:" + origin.port() + "/obj";
    AccessRecord miss = proxy.nextRecord();
    assertThat(miss.action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(miss.url()).isEqualTo(url);
    assertThat(miss.uplink()).isEqualTo("direct");
    AccessRecord hit = proxy.nextRecord();
    assertThat(hit.action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(hit.url()).isEqualTo(url);
    // One shared cache: a proxied client asking for the same URL is served the same copy.
    HttpResponse<String> proxied =
        proxy
            .httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(proxied.body()).isEqualTo("origin: origin.test:" + origin.port() + " /obj");
    assertThat(origin.requestsSeen()).isEqualTo(1);
  }

  @Test
  void aHostNamingAnotherSiteGoesToTheDestinationOnlyAndIsNeverCached() throws Exception {
    // The client's own server answering for bank.test: it must not land in the shared cache.
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response first = c.send(get("/login", "bank.test")).read();
      RawClient.Response second = c.send(get("/login", "bank.test")).read();

      assertThat(first.bodyText()).isEqualTo("origin: bank.test:" + origin.port() + " /login");
      assertThat(second.status()).isEqualTo(200);
    }
    assertThat(origin.requestsSeen()).isEqualTo(2);
    String url = "http://bank.test:" + origin.port() + "/login";
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    AccessRecord again = proxy.nextRecord();
    assertThat(again.action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(again.url()).isEqualTo(url);
    assertThat(proxy.cache().find(url, new DefaultHttpHeaders())).isNull();
    // A proxied client asking for bank.test goes where bank.test resolves (nothing listens there):
    // it is never served what the intercepted client's server said.
    HttpResponse<String> proxied =
        proxy
            .httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(proxied.statusCode()).isNotEqualTo(200);
    assertThat(proxied.body()).doesNotContain("origin:");
    assertThat(origin.requestsSeen()).isEqualTo(2);
  }

  @Test
  void aNameThatDoesNotResolveIsForwardedToTheDestinationUncached() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      assertThat(c.send(get("/x", "nowhere.test")).read().status()).isEqualTo(200);
      assertThat(c.send(get("/x", "nowhere.test")).read().status()).isEqualTo(200);
    }
    assertThat(origin.requestsSeen()).isEqualTo(2);
  }

  @Test
  void aHostThatIsTheDestinationAddressIsCachedUnderIt() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      c.send(get("/ip", "127.0.0.1")).read();
      c.send(get("/ip", "127.0.0.1:" + origin.port())).read();
    }
    assertThat(origin.requestsSeen()).isEqualTo(1);
    assertThat(proxy.nextRecord().url()).isEqualTo("http://127.0.0.1:" + origin.port() + "/ip");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
  }

  @Test
  void anHttp10RequestWithoutHostIsNamedByTheDestinationAddress() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response r = c.send("GET /old HTTP/1.0\r\n\r\n").read();
      assertThat(r.bodyText()).isEqualTo("origin: 127.0.0.1:" + origin.port() + " /old");
    }
    assertThat(proxy.nextRecord().url()).isEqualTo("http://127.0.0.1:" + origin.port() + "/old");
  }

  @Test
  void aHostThatIsAnotherAddressIsRefused() throws Exception {
    for (String host : List.of("127.0.0.2", "127.0.0.1:1")) {
      try (RawClient c = new RawClient(intercepted.address())) {
        RawClient.Response r = c.send(get("/x", host)).read();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText())
            .contains("is not the address this connection was made to (127.0.0.1:" + origin.port());
      }
      AccessRecord refused = proxy.nextRecord();
      assertThat(refused.action()).isEqualTo(CacheAction.TAG_NONE);
      assertThat(refused.status()).isEqualTo(400);
    }
    assertThat(origin.requestsSeen()).isZero();
  }

  @Test
  void absoluteFormAndConnectAreRefusedWithTheReason() throws Exception {
    // RFC 9112 3.2: a client that set no proxy sends origin-form; the other forms would name an
    // authority of their own.
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response r =
          c.send("GET http://origin.test/x HTTP/1.1\r\nHost: origin.test\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.bodyText()).contains("only origin-form (/path) with a Host header");
    }
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response r =
          c.send("CONNECT origin.test:443 HTTP/1.1\r\nHost: origin.test:443\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.bodyText()).contains("CONNECT on an intercepted connection");
    }
    AccessRecord absolute = proxy.nextRecord();
    assertThat(absolute.status()).isEqualTo(400);
    assertThat(absolute.method()).isEqualTo("GET");
    AccessRecord connect = proxy.nextRecord();
    assertThat(connect.status()).isEqualTo(400);
    assertThat(connect.method()).isEqualTo("CONNECT");
    assertThat(origin.requestsSeen()).isZero();
  }

  @Test
  void accessRulesSeeTheHostAsTheDomainAndTheDestinationAsTheAddress() throws Exception {
    start(
        TestConfigs.loopback()
            .withAccess(
                List.of(
                    new AccessRuleConfig(
                        "no-games",
                        AccessAction.DENY,
                        List.of("games.test"),
                        Optional.empty(),
                        Optional.empty()))));
    try (RawClient c = new RawClient(intercepted.address())) {
      RawClient.Response r = c.send(get("/", "games.test")).read();
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.bodyText()).contains("games.test is blocked by the office's access rule");
    }
    AccessRecord denied = proxy.nextRecord();
    assertThat(denied.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(denied.rule()).isEqualTo("no-games");
    assertThat(denied.url()).isEqualTo("http://games.test:" + origin.port() + "/");

    // The destination is the address the rules see, whatever the Host says.
    start(
        TestConfigs.loopback()
            .withAccess(
                List.of(
                    new AccessRuleConfig(
                        "no-loopback",
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
                        OptionalLong.empty(),
                        List.of(Cidr.parse("127.0.0.0/8"))))));
    try (RawClient c = new RawClient(intercepted.address())) {
      assertThat(c.send(get("/", "bank.test")).read().status()).isEqualTo(403);
    }
    assertThat(proxy.nextRecord().rule()).isEqualTo("no-loopback");
    assertThat(origin.requestsSeen()).isZero();
  }

  @Test
  void pipelinedKeepAliveRequestsAreAnsweredInOrder() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      c.send(get("/a", "origin.test") + get("/b", "bank.test") + get("/c", "origin.test"));
      assertThat(c.read().bodyText()).endsWith(" /a");
      assertThat(c.read().bodyText()).isEqualTo("origin: bank.test:" + origin.port() + " /b");
      assertThat(c.read().bodyText()).endsWith(" /c");
    }
    assertThat(origin.requestsSeen()).isEqualTo(3);
  }

  @Test
  void thePacPathIsTheOriginsNotTheGateways() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      assertThat(c.send(get("/proxy.pac", "origin.test")).read().bodyText())
          .isEqualTo("origin: origin.test:" + origin.port() + " /proxy.pac");
    }
  }

  @Test
  void garbageAfterTheRequestLineGetsTheUsual400() throws Exception {
    try (RawClient c = new RawClient(intercepted.address())) {
      c.send("GET /x HTTP/1.1\r\n");
      RawClient.Response r = c.send("\u0001\u0002 no header\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.bodyText()).contains("malformed request");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(proxy.nextRecord().status()).isEqualTo(400);
    assertThat(origin.requestsSeen()).isZero();
  }
}
