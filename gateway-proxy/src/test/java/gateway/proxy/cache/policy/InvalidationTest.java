package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalidation after unsafe requests (RFC 9111 4.4); the target is http://example.org/items/1. */
class InvalidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                    | method | status | response headers                                   | URLs removed (space separated)
      RFC 9111 4.4: POST with 200 invalidates the target         | POST   | 200 | ''                                                      | http://example.org/items/1
      RFC 9111 4.4: PUT, DELETE, PATCH too                       | DELETE | 204 | ''                                                      | http://example.org/items/1
      RFC 9111 4.4: a 3xx is not an error                        | PUT    | 303 | ''                                                      | http://example.org/items/1
      RFC 9111 4.4: a method of unknown safety invalidates       | PURGE  | 200 | ''                                                      | http://example.org/items/1
      RFC 9111 4.4: an error response invalidates nothing        | POST   | 500 | ''                                                      | ''
      RFC 9111 4.4: a 4xx is an error                            | POST   | 404 | ''                                                      | ''
      RFC 9111 4.4: a 1xx is not final                           | POST   | 100 | ''                                                      | ''
      RFC 9110 9.2.1: GET is safe                                | GET    | 200 | ''                                                      | ''
      RFC 9110 9.2.1: HEAD, OPTIONS, TRACE are safe              | OPTIONS | 200 | ''                                                     | ''
      RFC 9111 4.4: Location, relative, same origin              | POST   | 201 | Location: /items/2                                      | http://example.org/items/1 http://example.org/items/2
      RFC 9111 4.4: Content-Location, absolute, same origin      | PATCH  | 200 | Content-Location: http://EXAMPLE.org:80/items/1?v=2     | http://example.org/items/1 http://example.org/items/1?v=2
      RFC 9111 4.4: both, each once                              | POST   | 201 | Location: list // Content-Location: /items/1            | http://example.org/items/1 http://example.org/items/list
      RFC 9111 4.4: another host is another origin               | POST   | 201 | Location: http://other.example/items/2                  | http://example.org/items/1
      RFC 9111 4.4: another port is another origin               | POST   | 201 | Location: http://example.org:8080/items/2               | http://example.org/items/1
      RFC 9111 4.4: https is another origin                      | POST   | 201 | Location: https://example.org/items/2                   | http://example.org/items/1
      RFC 9111 4.4: a network-path reference to another host     | POST   | 201 | Location: //other.example/x                             | http://example.org/items/1
      RFC 9111 4.4: an unreadable Location is skipped            | POST   | 201 | Location: http://exa mple.org/%zz                       | http://example.org/items/1
      """)
  void removesTheTargetAndSameOriginLocations(
      String rfc, String method, int status, String response, String urls) {
    List<String> expected = urls.isEmpty() ? List.of() : List.of(urls.split(" "));

    List<String> removed =
        Invalidation.urlsToRemove(
            HttpMethod.valueOf(method), "example.org", 80, "/items/1", status, headers(response));

    assertThat(removed).as(rfc).isEqualTo(expected);
  }
}
