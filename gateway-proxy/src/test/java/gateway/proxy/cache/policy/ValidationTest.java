package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.at;
import static gateway.proxy.cache.policy.Heads.date;
import static gateway.proxy.cache.policy.Heads.headers;
import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation with the origin and clients' conditionals answered from the store (RFC 9111 4.3). */
class ValidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                     | client request                                 | stored response                          | If-None-Match sent | If-Modified-Since sent
      RFC 9111 4.3.1: the stored ETag goes in If-None-Match       | ''                                             | ETag: "v1"                                | '"v1"'   | ''
      RFC 9111 4.3.1: the stored Last-Modified in If-Modified-Since | ''                                           | Last-Modified: @T-100                     | ''       | @T-100
      RFC 9111 4.3.1: both validators are sent                    | ''                                             | ETag: W/"v1" // Last-Modified: @T-100     | 'W/"v1"' | @T-100
      RFC 9111 4.3.1: the client's conditionals are replaced      | If-None-Match: "other" // If-Modified-Since: @T-5 | ETag: "v1"                             | '"v1"'   | ''
      RFC 9111 4.3.1: no stored validator, no conditional         | If-None-Match: "other"                         | Cache-Control: max-age=1                  | ''       | ''
      RFC 9110 13.1.3: an unreadable Last-Modified is not sent    | ''                                             | Last-Modified: yesterday                  | ''       | ''
      """)
  void conditionalRequestCarriesTheStoredValidators(
      String rfc, String client, String response, String ifNoneMatch, String ifModifiedSince) {
    HttpHeaders sent = Validation.conditionalRequest(headers(client), stored(200, response, 0, 0));

    assertThat(sent.get("If-None-Match")).as(rfc).isEqualTo(emptyToNull(ifNoneMatch));
    assertThat(sent.get("If-Modified-Since"))
        .as(rfc)
        .isEqualTo(ifModifiedSince.isEmpty() ? null : headers("X: " + ifModifiedSince).get("X"));
  }

  @Test
  void conditionalRequestKeepsOtherFieldsAndDropsRange() {
    HttpHeaders sent =
        Validation.conditionalRequest(
            headers("Accept: text/html // Range: bytes=0-9 // If-Range: \"v1\""),
            stored(200, "ETag: \"v1\"", 0, 0));

    assertThat(sent.get("Accept")).isEqualTo("text/html");
    assertThat(sent.contains("Range")).isFalse();
    assertThat(sent.contains("If-Range")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                   | client request                                  | status | stored response                           | 304
      RFC 9110 13.1.2: If-None-Match matches the stored ETag     | If-None-Match: "v1"                             | 200 | ETag: "v1"                                  | true
      RFC 9110 13.1.2: weak comparison                           | If-None-Match: W/"v1"                           | 200 | ETag: "v1"                                  | true
      RFC 9110 13.1.2: one of a list                             | If-None-Match: "a", "v1"                        | 200 | ETag: W/"v1"                                | true
      RFC 9110 13.1.2: a comma inside a tag does not split       | 'If-None-Match: "a,b"'                          | 200 | 'ETag: "a,b"'                               | true
      RFC 9110 13.1.2: no tag matches                            | If-None-Match: "v0"                             | 200 | ETag: "v1"                                  | false
      RFC 9110 13.1.2: * matches any stored response             | If-None-Match: *                                | 200 | Cache-Control: max-age=5                    | true
      RFC 9110 13.1.2: no stored ETag                            | If-None-Match: "v1"                             | 200 | Last-Modified: @T-100                       | false
      RFC 9110 13.2.2: If-None-Match beats If-Modified-Since     | If-None-Match: "v0" // If-Modified-Since: @T+0  | 200 | ETag: "v1" // Last-Modified: @T-100         | false
      RFC 9111 4.3.2: Last-Modified not after the date           | If-Modified-Since: @T-100                       | 200 | Last-Modified: @T-100                       | true
      RFC 9111 4.3.2: Last-Modified after the date               | If-Modified-Since: @T-101                       | 200 | Last-Modified: @T-100                       | false
      RFC 9111 4.3.2: no Last-Modified: the Date                 | If-Modified-Since: @T+0                         | 200 | Date: @T-5                                  | true
      RFC 9111 4.3.2: no Last-Modified, Date after the date      | If-Modified-Since: @T-10                        | 200 | Date: @T-5                                  | false
      RFC 9111 4.3.2: neither: the time it was received          | If-Modified-Since: @T+0                         | 200 | ETag: "v1"                                  | true
      RFC 9110 13.1.3: an invalid date is ignored                | If-Modified-Since: yesterday                    | 200 | Last-Modified: @T-100                       | false
      RFC 9110 13.1.3: several dates are ignored                 | If-Modified-Since: @T+0 // If-Modified-Since: @T+0 | 200 | Last-Modified: @T-100                    | false
      RFC 9111 4.3.2: only stored 200s answer conditionals       | If-None-Match: "v1"                             | 404 | ETag: "v1"                                  | false
      RFC 9111 4.3.2: If-Match is for the origin                 | If-Match: "v1"                                  | 200 | ETag: "v1"                                  | false
      RFC 9111 4.3.2: no conditional                             | ''                                              | 200 | ETag: "v1"                                  | false
      """)
  void clientConditionals(
      String rfc, String client, int status, String response, boolean notModified) {
    assertThat(Validation.clientConditionalMatches(headers(client), stored(status, response, 0, 0)))
        .as(rfc)
        .isEqualTo(notModified);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                   | stored response                              | 304 headers                                | selected
      RFC 9111 4.3.4: same strong ETag                           | ETag: "v1"                                   | ETag: "v1"                                  | true
      RFC 9111 4.3.4: another strong ETag                        | ETag: "v2"                                   | ETag: "v1"                                  | false
      RFC 9111 4.3.4: a strong ETag needs a strong stored one    | ETag: W/"v1"                                 | ETag: "v1"                                  | false
      RFC 9111 4.3.4: a weak ETag matches weakly                 | ETag: "v1"                                   | ETag: W/"v1"                                | true
      RFC 9111 4.3.4: an ETag the stored response lacks          | Last-Modified: @T-100                        | ETag: "v1"                                  | false
      RFC 9111 4.3.4: same Last-Modified                         | Last-Modified: @T-100                        | Last-Modified: @T-100                       | true
      RFC 9111 4.3.4: another Last-Modified                      | Last-Modified: @T-100                        | Last-Modified: @T-50                        | false
      RFC 9111 4.3.4 / RFC 9110 15.4.5: no validator in the 304  | ETag: "v1" // Last-Modified: @T-100          | Cache-Control: max-age=60                   | true
      """)
  void a304SelectsTheStoredResponse(
      String rfc, String response, String notModified, boolean selected) {
    Optional<StoredHead> fresh =
        Validation.freshen(stored(200, response, 0, 0), headers(notModified), at(10), at(11));

    assertThat(fresh.isPresent()).as(rfc).isEqualTo(selected);
  }

  @Test
  void freshenReplacesFieldsFromThe304AndKeepsTheRest() {
    // RFC 9111 4.3.4 and 3.2: the 304's fields replace the stored ones, except Content-Length and
    // hop-by-hop fields; the times are those of the validation.
    StoredHead old =
        stored(
            200,
            "Date: @T+0 // ETag: \"v1\" // Cache-Control: max-age=60 // Content-Length: 42"
                + " // Content-Type: text/plain // X-Old: kept // Age: 30 // Expires: @T+60",
            0,
            0);
    HttpHeaders notModified =
        headers(
            "Date: @T+100 // ETag: \"v1\" // Cache-Control: max-age=120 // Content-Length: 0"
                + " // Connection: close, X-Hop // X-Hop: 1 // Keep-Alive: timeout=5"
                + " // Proxy-Authenticate: Basic // Expires: @T+220");

    StoredHead fresh = Validation.freshen(old, notModified, at(99), at(100)).orElseThrow();

    HttpHeaders h = fresh.headers();
    assertThat(h.get("Cache-Control")).isEqualTo("max-age=120");
    assertThat(h.get("Date")).isEqualTo(date(100));
    assertThat(h.getAll("Expires")).containsExactly(date(220));
    assertThat(h.get("Content-Length")).isEqualTo("42");
    assertThat(h.get("Content-Type")).isEqualTo("text/plain");
    assertThat(h.get("X-Old")).isEqualTo("kept");
    assertThat(h.contains("Connection")).isFalse();
    assertThat(h.contains("X-Hop")).isFalse();
    assertThat(h.contains("Keep-Alive")).isFalse();
    assertThat(h.contains("Proxy-Authenticate")).isFalse();
    assertThat(h.contains("Age")).as("the old Age described the old response").isFalse();
    assertThat(fresh.requestTime()).isEqualTo(at(99));
    assertThat(fresh.responseTime()).isEqualTo(at(100));
    assertThat(fresh.key()).isEqualTo(old.key());
    assertThat(fresh.status()).isEqualTo(200);
    assertThat(old.headers().get("Cache-Control"))
        .as("the old head is not modified")
        .isEqualTo("max-age=60");
  }

  @Test
  void freshenedResponseIsFreshAgain() {
    // RFC 9111 4.3.4: after a 304 the stored response is as fresh as the 304 says.
    StoredHead old = stored(200, "Date: @T+0 // ETag: \"v1\" // Cache-Control: max-age=60", 0, 0);

    StoredHead fresh =
        Validation.freshen(old, headers("ETag: \"v1\""), at(1000), at(1000)).orElseThrow();

    assertThat(fresh.headers().get("Date")).as("RFC 9110 6.6.1").isEqualTo(date(1000));
    assertThat(Freshness.currentAgeMillis(fresh, at(1010))).isEqualTo(10_000);
    assertThat(CacheDecision.decide(HttpMethod.GET, headers(""), fresh, at(1010)).action())
        .isEqualTo(CacheDecision.Action.FRESH);
  }

  @Test
  void notModifiedCarriesTheFieldsRfc9110Lists() {
    // RFC 9110 15.4.5
    StoredHead s =
        stored(
            200,
            "Date: @T+0 // ETag: \"v1\" // Cache-Control: max-age=60 // Vary: Accept-Encoding"
                + " // Content-Type: text/plain // Content-Length: 42 // Last-Modified: @T-100",
            0,
            0);

    HttpHeaders h = Validation.notModifiedHeaders(s);

    assertThat(h.names().stream().map(n -> n.toLowerCase(Locale.ROOT)))
        .containsExactlyInAnyOrder("cache-control", "date", "etag", "vary");
  }

  @Test
  void notModifiedCarriesLastModifiedWithoutAnETag() {
    StoredHead s = stored(200, "Date: @T+0 // Last-Modified: @T-100", 0, 0);

    assertThat(Validation.notModifiedHeaders(s).get("Last-Modified")).isEqualTo(date(-100));
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
