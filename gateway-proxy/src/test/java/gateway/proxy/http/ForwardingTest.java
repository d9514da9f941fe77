package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain HTTP requests forwarded to a real origin: RFC 9110 / 9112 behaviour of a forward proxy. */
class ForwardingTest {
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void getIsForwardedInOriginFormAndAnswered() throws Exception {
    HttpResponse<String> r =
        proxy
            .httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(origin.url("/a/b?x=1"))).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("GET /a/b?x=1 from 127.0.0.1");
    assertThat(r.headers().firstValue("via"))
        .hasValueSatisfying(v -> assertThat(v).contains("gateway-test"));
    TestOrigin.Seen seen = origin.next();
    assertThat(seen.target()).isEqualTo("/a/b?x=1");
    assertThat(seen.header("Host")).isEqualTo(origin.authority());
    assertThat(seen.header("Via")).isEqualTo("1.1 gateway-test");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"})
  void everyMethodIsForwarded(String method) throws Exception {
    HttpResponse<String> r =
        proxy
            .httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(origin.url("/m")))
                    .method(method, HttpRequest.BodyPublishers.ofString("body of " + method))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    TestOrigin.Seen seen = origin.next();
    assertThat(seen.method()).isEqualTo(method);
    assertThat(seen.bodyText()).isEqualTo("body of " + method);
  }

  @Test
  void hopByHopFieldsStopAtTheProxy() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET "
              + origin.url("/h")
              + " HTTP/1.1\r\n"
              + "Host: "
              + origin.authority()
              + "\r\n"
              + "Connection: keep-alive, X-Private\r\n"
              + "X-Private: secret\r\n"
              + "Keep-Alive: timeout=5\r\n"
              + "Proxy-Connection: keep-alive\r\n"
              + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"
              + "TE: trailers\r\n"
              + "Upgrade: websocket\r\n"
              + "X-End-To-End: kept\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    TestOrigin.Seen seen = origin.next();
    assertThat(seen.header("X-End-To-End")).isEqualTo("kept");
    for (String gone :
        new String[] {
          "X-Private", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Upgrade"
        }) {
      assertThat(seen.header(gone)).as(gone).isNull();
    }
  }

  @Test
  void absoluteUriWinsOverADisagreeingHostHeader() throws Exception {
    // RFC 9112 3.2.2: a proxy replaces the Host field with the target URI's authority.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + origin.url("/host") + " HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    assertThat(origin.next().header("Host")).isEqualTo(origin.authority());
  }

  @Test
  void keepAliveReusesOneUpstreamConnection() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      for (int i = 0; i < 5; i++) {
        c.send(
            "GET "
                + origin.url("/k" + i)
                + " HTTP/1.1\r\nHost: "
                + origin.authority()
                + "\r\n\r\n");
        RawClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).startsWith("GET /k" + i);
      }
    }
    assertThat(origin.connections()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      String req = "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n";
      c.send(
          String.format(req, origin.url("/one"), origin.authority())
              + String.format(req, origin.url("/two"), origin.authority())
              + String.format(req, origin.url("/three"), origin.authority()));
      assertThat(c.read().bodyText()).startsWith("GET /one");
      assertThat(c.read().bodyText()).startsWith("GET /two");
      assertThat(c.read().bodyText()).startsWith("GET /three");
    }
  }

  @Test
  void everyRequestGetsOneAccessLogRecord() throws Exception {
    proxy
        .httpClient()
        .send(
            HttpRequest.newBuilder(URI.create(origin.url("/logged"))).build(),
            HttpResponse.BodyHandlers.ofString());

    AccessRecord r = proxy.nextRecord();
    assertThat(r.action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.url()).isEqualTo(origin.url("/logged"));
    assertThat(r.client()).isEqualTo("127.0.0.1");
    assertThat(r.uplink()).isEqualTo("direct");
    assertThat(r.contentType()).isEqualTo("text/plain");
    assertThat(r.bytes()).isGreaterThan(("GET /logged from 127.0.0.1").length());
  }
}
