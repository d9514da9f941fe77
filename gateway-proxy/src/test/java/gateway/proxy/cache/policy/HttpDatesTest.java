package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP-dates read strictly (RFC 9110 5.6.7), as the cache reads Expires, Date, Last-Modified and
 * If-Modified-Since: one row per shape. Two-digit years are read against {@link Heads#T0}, in 2026.
 * {@code -} in the last column: not a date; {@code <CRLF>} stands for a line break.
 */
class HttpDatesTest {

  @ParameterizedTest(name = "{0}: [{1}]")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      textBlock =
          """
      RFC 9110 5.6.7: IMF-fixdate|Sun, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z
      RFC 9110 5.6.7: obsolete RFC 850 date|Sunday, 06-Nov-94 08:49:37 GMT|1994-11-06T08:49:37Z
      RFC 9110 5.6.7: obsolete asctime date|Sun Nov  6 08:49:37 1994|1994-11-06T08:49:37Z
      RFC 9110 5.6.7: asctime with a two-digit day|Sun Nov 16 08:49:37 1994|1994-11-16T08:49:37Z
      RFC 9110 5.6.7: RFC 850 year not over 50 years ahead is this century|Thursday, 18-Aug-50 02:01:18 GMT|2050-08-18T02:01:18Z
      RFC 9110 5.6.7: RFC 850 year over 50 years ahead is the last century|Friday, 18-Aug-77 02:01:18 GMT|1977-08-18T02:01:18Z
      RFC 9110 5.6.7: a far future year|Sun, 21 Nov 2286 04:46:39 GMT|2286-11-21T04:46:39Z
      RFC 9110 5.6.7: a leap second|Sat, 31 Dec 2016 23:59:60 GMT|2017-01-01T00:00:00Z
      RFC 9110 5.5: surrounding whitespace is not the value's| 	Sun, 06 Nov 1994 08:49:37 GMT 	|1994-11-06T08:49:37Z
      optimal cache: upper-case day name|SUN, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z
      optimal cache: upper-case month|Sun, 06 NOV 1994 08:49:37 GMT|1994-11-06T08:49:37Z
      optimal cache: lower-case zone|Sun, 06 Nov 1994 08:49:37 gmt|1994-11-06T08:49:37Z
      RFC 9110 5.6.7: the day name is not checked against the date|Mon, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z
      RFC 9110 5.6.7: UTC is not GMT|Sun, 06 Nov 1994 08:49:37 UTC|-
      RFC 9110 5.6.7: nor is another zone|Sun, 06 Nov 1994 08:49:37 AEST|-
      RFC 9110 5.6.7: nor a numeric offset|Sun, 06 Nov 1994 08:49:37 +0000|-
      RFC 9110 5.6.7: no zone|Sun, 06 Nov 1994 08:49:37|-
      RFC 9110 5.6.7: a two-digit year in IMF-fixdate|Sun, 06 Nov 94 08:49:37 GMT|-
      RFC 9110 5.6.7: a four-digit year in an RFC 850 date|Sunday, 06-Nov-1994 08:49:37 GMT|-
      RFC 9110 5.6.7: a missing comma|Sun 06 Nov 1994 08:49:37 GMT|-
      RFC 9110 5.6.7: doubled spaces|Sun, 06  Nov  1994 08:49:37 GMT|-
      RFC 9110 5.6.7: dashes in IMF-fixdate|Sun, 06-Nov-1994 08:49:37 GMT|-
      RFC 9110 5.6.7: an RFC 850 date with a short day name|Sun, 06-Nov-94 08:49:37 GMT|-
      RFC 9110 5.6.7: dots in the time|Sun, 06 Nov 1994 08.49.37 GMT|-
      RFC 9110 5.6.7: a one-digit hour|Sun, 06 Nov 1994 8:49:37 GMT|-
      RFC 9110 5.6.7: a one-digit day in IMF-fixdate|Sun, 6 Nov 1994 08:49:37 GMT|-
      RFC 9110 5.6.7: a one-digit asctime day after one space|Sun Nov 6 08:49:37 1994|-
      RFC 9110 5.6.7: a value on several lines (folded)|Sun, 06 Nov 1994<CRLF> 08:49:37 GMT|-
      RFC 9110 5.6.7: a full month name|Sun, 06 November 1994 08:49:37 GMT|-
      RFC 9110 5.6.7: trailing text|Sun, 06 Nov 1994 08:49:37 GMT; x|-
      RFC 9110 5.6.7: a 25th hour|Sun, 06 Nov 1994 24:49:37 GMT|-
      RFC 9110 5.6.7: a 31st of November|Sun, 31 Nov 1994 08:49:37 GMT|-
      RFC 9110 5.6.7: non-ASCII digits|Sun, ٠٦ Nov 1994 08:49:37 GMT|-
      RFC 9110 5.6.7: a letter folded from another script|ſun, 06 Nov 1994 08:49:37 GMT|-
      RFC 9111 5.3: the value 0|0|-
      RFC 9111 5.3: empty|''|-
      """)
  void readsExactlyTheThreeFormats(String rfc, String text, String instant) {
    Long parsed = HttpDates.parse(text.replace("<CRLF>", "\r\n"), T0);

    assertThat(parsed == null ? "-" : Instant.ofEpochMilli(parsed).toString())
        .as(rfc)
        .isEqualTo(instant);
  }
}
