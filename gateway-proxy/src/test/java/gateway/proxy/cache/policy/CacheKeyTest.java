package gateway.proxy.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The primary cache key: the target URI with the authority normalised (RFC 9111 2, RFC 9110 4.2.3),
 * the path and query as the origin is sent them.
 */
class CacheKeyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                | host          | port | path and query | key
      RFC 9110 4.2.3: the default port is left out         | example.org   | 80   | /a?b=1         | http://example.org/a?b=1
      RFC 9110 4.2.3: another port is kept                 | example.org   | 8080 | /a             | http://example.org:8080/a
      RFC 9110 4.2.3: the host is case-insensitive         | Example.ORG   | 80   | /A             | http://example.org/A
      RFC 9110 4.2.3: a trailing dot names the same host   | example.org.  | 80   | /              | http://example.org/
      RFC 9110 4.2.3: an empty path is /                   | example.org   | 80   | ''             | http://example.org/
      RFC 9110 4.2.3: an empty path with a query           | example.org   | 80   | ?q             | http://example.org/?q
      RFC 3986 6.2.2.1 not applied: the origin sees the case | example.org | 80   | /a%2fb%c3%a9   | http://example.org/a%2fb%c3%a9
      RFC 3986 6.2.2.2 not applied: the origin sees %61    | example.org   | 80   | /x%61bc        | http://example.org/x%61bc
      RFC 3986 6.2.2.2 not applied: nor %7E for ~          | example.org   | 80   | /%7Euser/%41-b | http://example.org/%7Euser/%41-b
      RFC 3986 6.2.2.2: the decoded spelling is another key | example.org  | 80   | /xabc          | http://example.org/xabc
      RFC 3986 6.2.2.2: reserved characters stay encoded   | example.org   | 80   | /a%3Fb%26c     | http://example.org/a%3Fb%26c
      RFC 3986 2.1: a stray percent is kept as is          | example.org   | 80   | /100%/%zz/%4   | http://example.org/100%/%zz/%4
      RFC 3986 3.5: the fragment is not part of the key    | example.org   | 80   | /p?q#frag      | http://example.org/p?q
      RFC 3986 3.2.2: an IPv6 literal gets brackets        | 2001:DB8::1   | 81   | /              | http://[2001:db8::1]:81/
      RFC 3986 3.2.2: brackets already there               | [2001:db8::1] | 80   | /              | http://[2001:db8::1]/
      RFC 9110 4.2.3: the query is case-sensitive          | example.org   | 80   | /?Q=A          | http://example.org/?Q=A
      """)
  void normalisesTheTargetUri(String rfc, String host, int port, String path, String key) {
    assertThat(CacheKey.of(host, port, path)).as(rfc).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      RFC 9111 2: GET is looked up                      | GET     | true
      RFC 9110 9.3.2: HEAD is answered from the GET     | HEAD    | true
      RFC 9111 2: POST is not                           | POST    | false
      RFC 9111 2: OPTIONS is not                        | OPTIONS | false
      """)
  void onlyGetAndHeadAreLookedUp(String rfc, String method, boolean lookedUp) {
    assertThat(CacheKey.lookedUp(HttpMethod.valueOf(method))).as(rfc).isEqualTo(lookedUp);
  }
}
