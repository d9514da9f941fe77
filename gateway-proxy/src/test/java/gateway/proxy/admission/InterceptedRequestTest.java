package gateway.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The target of a request on an intercepted connection and how far the shared cache trusts its
 * {@code Host}: one row per case, the destination being the address the client connected to.
 */
class InterceptedRequestTest {

  @ParameterizedTest(name = "{0} {1} Host {2} to {3}: {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # version | target | Host (empty: none) | destination | the cache's key host:port, or the 400's words | host check
      HTTP/1.1  | /a?b=1 | example.org        | 10.1.2.3:80   | example.org:80        | RESOLVE
      HTTP/1.1  | /a     | Example.ORG.       | 10.1.2.3:80   | example.org:80        | RESOLVE
      HTTP/1.1  | /a     | example.org        | 10.1.2.3:8080 | example.org:8080      | RESOLVE
      HTTP/1.1  | /a     | example.org:80     | 10.1.2.3:8080 | example.org:80        | NONE
      HTTP/1.1  | /a     | 10.1.2.3           | 10.1.2.3:80   | 10.1.2.3:80           | DESTINATION
      HTTP/1.1  | /a     | [::1]              | [::1]:80      | ::1:80                | DESTINATION
      HTTP/1.1  | /a     | [0:0::1]:80        | [::1]:80      | ::1:80                | DESTINATION
      # RFC 9112 3.2: an HTTP/1.0 request may come without Host; it is named by the address
      HTTP/1.0  | /a     |                    | 10.1.2.3:81   | 10.1.2.3:81           | DESTINATION
      HTTP/1.0  | /a     |                    | [::1]:80      | ::1:80                | DESTINATION
      HTTP/1.1  | /a     | 10.1.2.4           | 10.1.2.3:80   | Host 10.1.2.4 is not the address this connection was made to (10.1.2.3:80) |
      HTTP/1.1  | /a     | [::2]              | [::1]:80      | Host [::2] is not the address this connection was made to ([::1]:80) |
      HTTP/1.1  | /a     | 0x0a.1.2.3         | 10.1.2.3:80   | Host header: bad host in request target |
      HTTP/1.1  | /a     | user@example.org   | 10.1.2.3:80   | Host header: bad character in host |
      HTTP/1.1  | a      | example.org        | 10.1.2.3:80   | only origin-form (/path) |
      """)
  void readsTheTargetAndTrustsTheHostSoFar(
      String version, String uri, String host, String destination, String expected, String check)
      throws Exception {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.valueOf(version), HttpMethod.GET, uri);
    if (host != null) {
      req.headers().set("Host", host);
    }
    InetSocketAddress dst = address(destination);

    RequestCheck.Verdict v = InterceptedRequest.target(req, dst);

    if (check == null) {
      assertThat(v).isInstanceOf(RequestCheck.Reject.class);
      assertThat(((RequestCheck.Reject) v).status().code()).isEqualTo(400);
      assertThat(((RequestCheck.Reject) v).reason()).contains(expected);
      return;
    }
    var target = ((RequestCheck.Forward) v).target();
    assertThat(target.host() + ":" + target.port()).isEqualTo(expected);
    assertThat(target.path()).isEqualTo(uri);
    assertThat(InterceptedRequest.hostCheck(target, dst).name()).isEqualTo(check);
  }

  @ParameterizedTest(name = "{0} resolving to [{1}]: cached {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # destination | what the name resolves to (;-separated) | cached under the name
      10.1.2.3:80   | 10.1.2.3                                 | true
      10.1.2.3:80   | 10.9.9.9;10.1.2.3;2001:db8::1            | true
      10.1.2.3:80   | 10.9.9.9                                 | false
      10.1.2.3:80   |                                          | false
      [2001:db8::1]:80 | 10.1.2.3;2001:db8:0:0:0:0:0:1         | true
      """)
  void aNameIsCachedOnlyWhenItResolvesToTheDestination(
      String destination, String resolved, boolean cached) throws Exception {
    List<InetAddress> addresses = new ArrayList<>();
    if (resolved != null) {
      for (String a : resolved.split(";")) {
        addresses.add(InetAddress.getByName(a));
      }
    }
    assertThat(InterceptedRequest.resolvesTo(addresses, address(destination))).isEqualTo(cached);
  }

  private static InetSocketAddress address(String text) throws Exception {
    int colon = text.lastIndexOf(':');
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(
        InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
  }
}
