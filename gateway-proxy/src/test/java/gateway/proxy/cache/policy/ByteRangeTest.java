package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.headers;
import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Single byte ranges from a stored 200 (RFC 9110 14). Results are written {@code 206 first-last},
 * {@code 416} or {@code 200} (the whole response).
 */
class ByteRangeTest {

  @ParameterizedTest(name = "{0}: {1} of {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                  | Range                     | length | answer
      RFC 9110 14.1.2: first and last                           | bytes=0-499               | 1000 | 206 0-499
      RFC 9110 14.1.2: from an offset to the end                | bytes=500-                | 1000 | 206 500-999
      RFC 9110 14.1.2: a suffix                                 | bytes=-100                | 1000 | 206 900-999
      RFC 9110 14.1.2: a suffix longer than the representation  | bytes=-5000               | 1000 | 206 0-999
      RFC 9110 14.1.2: last past the end is clamped             | bytes=900-5000            | 1000 | 206 900-999
      RFC 9110 14.1.2: one byte                                 | bytes=0-0                 | 1000 | 206 0-0
      RFC 9110 14.1.2: the last byte                            | bytes=999-999             | 1000 | 206 999-999
      RFC 9110 14.1.1: the unit is case-insensitive             | Bytes=1-2                 | 1000 | 206 1-2
      RFC 9110 5.6.1: whitespace around the range               | bytes= 1-2                | 1000 | 206 1-2
      RFC 9110 14.1.1: huge last is clamped                     | bytes=0-99999999999999999999999 | 1000 | 206 0-999
      RFC 9110 14.1.1: first at the length is unsatisfiable     | bytes=1000-               | 1000 | 416
      RFC 9110 14.1.1: huge first is unsatisfiable              | bytes=99999999999999999999999- | 1000 | 416
      RFC 9110 14.1.1: a zero suffix is unsatisfiable           | bytes=-0                  | 1000 | 416
      RFC 9110 14.1.1: nothing of an empty representation       | bytes=0-                  | 0    | 416
      RFC 9110 14.1.1: a suffix of an empty one: whole (empty)  | bytes=-5                  | 0    | 200
      RFC 9110 14.1.1: last before first is invalid: ignored    | bytes=5-1                 | 1000 | 200
      RFC 9110 14.2: several ranges: ignored (we serve one)     | bytes=0-1,5-6             | 1000 | 200
      RFC 9110 14.2: an empty list element does not count       | bytes=0-1,                | 1000 | 206 0-1
      RFC 9110 14.2: other units: ignored                       | items=0-1                 | 1000 | 200
      RFC 9110 14.2: syntax errors: ignored                     | bytes=abc                 | 1000 | 200
      RFC 9110 14.2: no dash: ignored                           | bytes=5                   | 1000 | 200
      RFC 9110 14.2: no equals: ignored                         | bytes                     | 1000 | 200
      RFC 9110 14.2: negative numbers: ignored                  | bytes=-1-5                | 1000 | 200
      RFC 9110 14.2: just a dash: ignored                       | bytes=-                   | 1000 | 200
      """)
  void singleRanges(String rfc, String range, long length, String answer) {
    ByteRange r =
        ByteRange.of(HttpMethod.GET, headers("Range: " + range), stored(200, "", 0, 0), length);

    assertThat(describe(r)).as(rfc).isEqualTo(answer);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                  | method | status | If-Range              | stored response                            | answer
      RFC 9110 13.1.5: a strong ETag that matches               | GET  | 200 | '"v1"'                  | ETag: "v1"                                  | 206 0-9
      RFC 9110 13.1.5: a different ETag: whole                  | GET  | 200 | '"v0"'                  | ETag: "v1"                                  | 200
      RFC 9110 13.1.5: weak tags never match                    | GET  | 200 | 'W/"v1"'                | ETag: W/"v1"                                | 200
      RFC 9110 13.1.5: a strong If-Range, weak stored ETag      | GET  | 200 | '"v1"'                  | ETag: W/"v1"                                | 200
      RFC 9110 13.1.5: the exact Last-Modified                  | GET  | 200 | @T-100                  | Date: @T+0 // Last-Modified: @T-100         | 206 0-9
      RFC 9110 13.1.5: another date: whole                      | GET  | 200 | @T-99                   | Date: @T+0 // Last-Modified: @T-100         | 200
      RFC 9110 8.8.2.2: a weak Last-Modified (same second as Date) | GET | 200 | @T+0                 | Date: @T+0 // Last-Modified: @T+0           | 200
      RFC 9110 13.1.5: an unreadable If-Range: whole            | GET  | 200 | yesterday               | Date: @T+0 // Last-Modified: @T-100         | 200
      RFC 9110 14.2: only GET has ranges                        | HEAD | 200 | ''                      | ETag: "v1"                                  | 200
      RFC 9110 14.2: only a 200 has ranges                      | GET  | 404 | ''                      | ETag: "v1"                                  | 200
      """)
  void ifRangeAndApplicability(
      String rfc, String method, int status, String ifRange, String response, String answer) {
    String request = "Range: bytes=0-9" + (ifRange.isEmpty() ? "" : " // If-Range: " + ifRange);

    ByteRange r =
        ByteRange.of(
            HttpMethod.valueOf(method), headers(request), stored(status, response, 0, 0), 1000);

    assertThat(describe(r)).as(rfc).isEqualTo(answer);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      RFC 9110 14.4: Content-Range of a part    | bytes=10-19 | 1000 | bytes 10-19/1000
      RFC 9110 14.4: Content-Range of a 416     | bytes=2000- | 1000 | bytes */1000
      """)
  void contentRange(String rfc, String range, long length, String contentRange) {
    ByteRange r = ByteRange.parse(range, length);

    String actual =
        r instanceof ByteRange.Satisfiable s
            ? s.contentRange()
            : ((ByteRange.Unsatisfiable) r).contentRange();
    assertThat(actual).as(rfc).isEqualTo(contentRange);
  }

  static Stream<String> randomRanges() {
    Random random = new Random(9110);
    String alphabet = "bytes=-,0123456789 9-";
    return IntStream.range(0, 2000)
        .mapToObj(
            i -> {
              StringBuilder s = new StringBuilder(random.nextBoolean() ? "bytes=" : "");
              int n = random.nextInt(10);
              for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
              }
              return s.toString();
            });
  }

  @ParameterizedTest
  @MethodSource("randomRanges")
  void anySatisfiableRangeLiesInsideTheRepresentation(String range) {
    long length = 1 + Math.floorMod(range.hashCode(), 50);

    ByteRange r = ByteRange.parse(range, length);

    if (r instanceof ByteRange.Satisfiable s) {
      assertThat(s.first()).isBetween(0L, s.last());
      assertThat(s.last()).isLessThan(length);
      assertThat(s.size()).isBetween(1L, length);
    }
  }

  private static String describe(ByteRange r) {
    if (r instanceof ByteRange.Satisfiable s) {
      return "206 " + s.first() + "-" + s.last();
    }
    return r instanceof ByteRange.Unsatisfiable ? "416" : "200";
  }
}
