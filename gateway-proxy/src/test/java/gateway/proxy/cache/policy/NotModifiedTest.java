package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.at;
import static gateway.proxy.cache.policy.Heads.headers;
import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a 304 does to the stored response it answers (RFC 9111 4.3.4, 3.2): which fields reach the
 * stored response (seen by every later client) and which only the answer to the client whose
 * request brought the 304; and when the stored response is dropped instead. {@code -} is a field
 * that is absent.
 */
class NotModifiedTest {
  private static final String STORED =
      "Date: @T+0 // ETag: \"v1\" // Cache-Control: max-age=10 // Content-Length: 42"
          + " // Content-Type: text/plain // Content-Encoding: gzip // X-Old: kept";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                          | 304 headers                                       | field            | stored     | answer
      RFC 9111 4.3.4: a field of the 304 replaces the stored one       | ETag: "v1" // X-Old: new                          | X-Old            | new        | new
      RFC 9111 4.3.4: a field the 304 lacks is kept                    | ETag: "v1"                                        | X-Old            | kept       | kept
      RFC 9111 7.3 (ours): the 304's Set-Cookie is its client's alone  | ETag: "v1" // Set-Cookie: session=alice           | Set-Cookie       | -          | session=alice
      RFC 2965 (ours): Set-Cookie2 likewise                            | ETag: "v1" // Set-Cookie2: session=alice          | Set-Cookie2      | -          | session=alice
      RFC 9111 3.2: Content-Length is not updated                      | ETag: "v1" // Content-Length: 0                   | Content-Length   | 42         | 42
      RFC 9111 3.2: Content-Encoding describes the stored bytes        | ETag: "v1" // Content-Encoding: br                | Content-Encoding | gzip       | gzip
      RFC 9111 3.2: Content-Range may be ignored, and is               | ETag: "v1" // Content-Range: bytes 0-0/42         | Content-Range    | -          | -
      RFC 9111 3.2: Content-Type is updated (the bytes are as received) | ETag: "v1" // Content-Type: text/html            | Content-Type     | text/html  | text/html
      RFC 9111 3.1: Proxy-Authenticate is never stored                 | ETag: "v1" // Proxy-Authenticate: Basic           | Proxy-Authenticate | -        | -
      """)
  void updatesTheStoredResponseAndTheAnswerToItsClient(
      String rfc, String notModified, String field, String stored, String answer) {
    NotModified outcome =
        NotModified.of(stored(200, STORED, 0, 0), headers(notModified), at(99), at(100));

    assertThat(outcome).as(rfc).isInstanceOf(NotModified.Updated.class);
    NotModified.Updated updated = (NotModified.Updated) outcome;
    assertThat(valueOf(updated.stored(), field)).as(rfc + ", stored").isEqualTo(stored);
    assertThat(valueOf(updated.answer(), field)).as(rfc + ", answer").isEqualTo(answer);
    assertThat(updated.answer().key()).isEqualTo(updated.stored().key());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                    | stored response                        | 304 headers                                           | dropped because
      RFC 9111 4.3.4: the 304 selects another response         | ETag: "v2" // Cache-Control: max-age=1 | ETag: "v1"                                            | about another response
      RFC 9111 5.2.2.7: the 304 makes it private               | ETag: "v1" // Cache-Control: max-age=1 | ETag: "v1" // Cache-Control: private, max-age=60      | private
      RFC 9111 5.2.2.7: a qualified private too (ours)         | ETag: "v1" // Cache-Control: max-age=1 | ETag: "v1" // Cache-Control: private="X-A", max-age=60 | private
      RFC 9111 5.2.2.5: the 304 says no-store                  | ETag: "v1" // Cache-Control: max-age=1 | ETag: "v1" // Cache-Control: no-store                 | no-store
      RFC 9111 4.1: the 304 says Vary *                        | ETag: "v1" // Cache-Control: max-age=1 | ETag: "v1" // Vary: *                                 | Vary: *
      RFC 9111 4.1: the 304 varies on other fields             | ETag: "v1" // Vary: Accept // Cache-Control: max-age=1 | ETag: "v1" // Vary: Accept, Cookie    | changes Vary
      RFC 9111 7.3 (ours): a stored cookie is not kept on      | ETag: "v1" // Set-Cookie: a=1 // Cache-Control: max-age=1 | ETag: "v1"                         | Set-Cookie
      """)
  void dropsTheStoredResponse(String rfc, String stored, String notModified, String reason) {
    NotModified outcome =
        NotModified.of(stored(200, stored, 0, 0), headers(notModified), at(99), at(100));

    assertThat(outcome).as(rfc).isInstanceOf(NotModified.Dropped.class);
    assertThat(((NotModified.Dropped) outcome).reason()).as(rfc).contains(reason);
  }

  private static String valueOf(StoredHead head, String field) {
    String value = head.headers().get(field);
    return value == null ? "-" : value;
  }
}
