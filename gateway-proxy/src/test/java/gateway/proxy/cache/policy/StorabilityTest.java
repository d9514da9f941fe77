package gateway.proxy.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a shared cache stores a response (RFC 9111 3, 3.5) and why. */
class StorabilityTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                  | method | request headers          | status | response headers                               | stored | reason
      RFC 9111 3: explicit max-age                             | GET  | ''                         | 200 | Cache-Control: max-age=60                         | true  | explicit freshness
      RFC 9111 3: Expires                                      | GET  | ''                         | 200 | Expires: @T+60                                    | true  | explicit freshness
      RFC 9111 3: s-maxage                                     | GET  | ''                         | 302 | Cache-Control: s-maxage=60                        | true  | explicit freshness
      RFC 9111 3: invalid max-age still counts (stored stale)  | GET  | ''                         | 200 | Cache-Control: max-age=x // ETag: "a"             | true  | explicit freshness
      RFC 9111 3: heuristically cacheable with a validator     | GET  | ''                         | 200 | Last-Modified: @T-100                             | true  | heuristically cacheable status 200
      RFC 9111 3: 404 is heuristically cacheable               | GET  | ''                         | 404 | ETag: "a"                                         | true  | heuristically cacheable status 404
      RFC 9111 3: public without freshness, with a validator   | GET  | ''                         | 302 | Cache-Control: public // ETag: "a"                | true  | public
      RFC 9111 3: not heuristically cacheable, no freshness    | GET  | ''                         | 302 | ETag: "a"                                         | false | status 302 without explicit freshness
      RFC 9111 3: 307 without freshness                        | GET  | ''                         | 307 | Last-Modified: @T-100                             | false | status 307 without explicit freshness
      RFC 9111 3 (note): neither freshness nor validator       | GET  | ''                         | 200 | Content-Type: text/plain                          | false | no explicit freshness and no validator
      RFC 9111 3 (note): public, neither freshness nor validator | GET | ''                        | 200 | Cache-Control: public                             | false | no explicit freshness and no validator
      RFC 9111 3: no-store in response                         | GET  | ''                         | 200 | Cache-Control: max-age=60, no-store               | false | no-store in response
      RFC 9111 5.2.1.5: no-store in request                    | GET  | Cache-Control: no-store    | 200 | Cache-Control: max-age=60                         | false | no-store in request
      RFC 9111 5.2.2.3: must-understand, understood: no-store ignored | GET | ''               | 200 | Cache-Control: must-understand, no-store, max-age=60 | true | explicit freshness
      RFC 9111 5.2.2.3: must-understand, status not understood | GET  | ''                         | 299 | Cache-Control: must-understand, no-store, max-age=60 | false | must-understand with status 299
      RFC 9111 3: unknown final status with explicit freshness | GET  | ''                         | 299 | Cache-Control: max-age=60                         | true  | explicit freshness
      RFC 9111 5.2.2.7: private                                | GET  | ''                         | 200 | Cache-Control: private, max-age=60                | false | private
      RFC 9111 5.2.2.7: qualified private (not rewritten)      | GET  | ''                         | 200 | Cache-Control: private="x-user", max-age=60       | false | private
      RFC 9111 5.2.2.4: no-cache is stored (validated on use)  | GET  | ''                         | 200 | Cache-Control: no-cache // ETag: "a"              | true  | heuristically cacheable status 200
      RFC 9111 3.5: Authorization alone                        | GET  | Authorization: Basic eA==  | 200 | Cache-Control: max-age=60                         | false | Authorization
      RFC 9111 3.5: Authorization with public                  | GET  | Authorization: Basic eA==  | 200 | Cache-Control: public, max-age=60                 | true  | explicit freshness
      RFC 9111 3.5: Authorization with s-maxage                | GET  | Authorization: Basic eA==  | 200 | Cache-Control: s-maxage=60                        | true  | explicit freshness
      RFC 9111 3.5: Authorization with must-revalidate         | GET  | Authorization: Basic eA==  | 200 | Cache-Control: must-revalidate, max-age=60        | true  | explicit freshness
      RFC 9111 4.1: Vary * can never be selected               | GET  | ''                         | 200 | Cache-Control: max-age=60 // Vary: Accept, *      | false | Vary: *
      RFC 9111 4.1: Vary on named fields is stored             | GET  | ''                         | 200 | Cache-Control: max-age=60 // Vary: Accept-Encoding | true | explicit freshness
      RFC 9111 7.3 (our choice): Set-Cookie is not stored      | GET  | ''                         | 200 | Cache-Control: public, max-age=60 // Set-Cookie: s=1 | false | Set-Cookie
      RFC 9111 3: HEAD responses are not stored (we store GET) | HEAD | ''                         | 200 | Cache-Control: max-age=60                         | false | method HEAD is not stored
      RFC 9111 3: POST is not stored                           | POST | ''                         | 200 | Cache-Control: max-age=60                         | false | method POST is not stored
      RFC 9111 3: 1xx is not final                             | GET  | ''                         | 103 | Cache-Control: max-age=60                         | false | status 103 is not final
      RFC 9111 3.3: 206 is not stored (no combining)           | GET  | ''                         | 206 | Cache-Control: max-age=60                         | false | status 206 is not stored
      RFC 9111 3: 304 is not stored                            | GET  | ''                         | 304 | Cache-Control: max-age=60                         | false | status 304 is not stored
      RFC 9111 3: 5xx with explicit freshness                  | GET  | ''                         | 503 | Cache-Control: max-age=5                          | true  | explicit freshness
      RFC 9111 3: 503 without freshness is not stored          | GET  | ''                         | 503 | ETag: "a"                                         | false | status 503 without explicit freshness
      """)
  void decidesStorage(
      String rfc,
      String method,
      String request,
      int status,
      String response,
      boolean stored,
      String reason) {
    Storability.Verdict verdict =
        Storability.of(
            HttpMethod.valueOf(method), Heads.headers(request), status, Heads.headers(response));

    assertThat(verdict.storable()).as(rfc).isEqualTo(stored);
    assertThat(verdict.reason()).as(rfc).startsWith(reason);
  }
}
