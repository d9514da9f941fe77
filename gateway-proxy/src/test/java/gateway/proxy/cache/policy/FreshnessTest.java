package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.at;
import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Freshness lifetime and age (RFC 9111 4.2). Times are seconds from the tables' time zero;
 * {@code @T+n} in a header is the HTTP-date at n.
 */
class FreshnessTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                     | status | response headers                                        | received at | lifetime (s)
      RFC 9111 4.2.1: s-maxage beats max-age                      | 200 | Cache-Control: max-age=60, s-maxage=120                    | 0    | 120
      RFC 9111 4.2.1: s-maxage=0 beats max-age                    | 200 | Cache-Control: max-age=60, s-maxage=0                      | 0    | 0
      RFC 9111 4.2.1: max-age beats Expires                       | 200 | Cache-Control: max-age=60 // Date: @T+0 // Expires: @T+3600 | 0   | 60
      RFC 9111 4.2.1: Expires minus Date                          | 200 | Date: @T+0 // Expires: @T+3600                             | 0    | 3600
      RFC 9111 4.2.1: Expires minus Date, not minus receipt       | 200 | Date: @T+0 // Expires: @T+3600                             | 100  | 3600
      RFC 9110 6.6.1: no Date: the time it was received           | 200 | Expires: @T+3600                                           | 600  | 3000
      RFC 9110 6.6.1: invalid Date: the time it was received      | 200 | Date: yesterday // Expires: @T+3600                        | 600  | 3000
      RFC 9111 5.3: Expires 0 is in the past                      | 200 | Date: @T+0 // Expires: 0                                   | 0    | 0
      RFC 9111 5.3: an invalid Expires is in the past             | 200 | Date: @T+0 // Expires: soon                                | 0    | 0
      RFC 9111 4.2.1: Expires before Date                         | 200 | Date: @T+0 // Expires: @T-60                               | 0    | 0
      RFC 9110 5.6.7: Expires in UTC, not GMT, is invalid         | 200 | Date: @T+0 // Expires: Thu, 01 Jan 2026 01:00:00 UTC       | 0    | 0
      RFC 9110 5.6.7: Expires in another zone is invalid          | 200 | Date: @T+0 // Expires: Thu, 01 Jan 2026 01:00:00 AEST      | 0    | 0
      RFC 9110 5.6.7: a two-digit year in IMF-fixdate is invalid  | 200 | Date: @T+0 // Expires: Thu, 01 Jan 26 01:00:00 GMT         | 0    | 0
      RFC 9110 5.6.7: a missing comma is invalid                  | 200 | Date: @T+0 // Expires: Thu 01 Jan 2026 01:00:00 GMT        | 0    | 0
      RFC 9110 5.6.7: doubled spaces are invalid                  | 200 | Date: @T+0 // Expires: Thu, 01  Jan  2026 01:00:00 GMT     | 0    | 0
      RFC 9110 5.6.7: dashes in IMF-fixdate are invalid           | 200 | Date: @T+0 // Expires: Thu, 01-Jan-2026 01:00:00 GMT       | 0    | 0
      RFC 9110 5.6.7: dots in the time are invalid                | 200 | Date: @T+0 // Expires: Thu, 01 Jan 2026 01.00.00 GMT       | 0    | 0
      RFC 9110 5.6.7: a one-digit hour is invalid                 | 200 | Date: @T+0 // Expires: Thu, 01 Jan 2026 1:00:00 GMT        | 0    | 0
      RFC 9110 5.6.7: the obsolete RFC 850 form is read           | 200 | Date: @T+0 // Expires: Thursday, 01-Jan-26 01:00:00 GMT    | 0    | 3600
      RFC 9110 5.6.7: the obsolete asctime form is read           | 200 | Date: @T+0 // Expires: Thu Jan  1 01:00:00 2026            | 0    | 3600
      RFC 9110 5.6.7: letter case is not held against it          | 200 | Date: @T+0 // Expires: THU, 01 JAN 2026 01:00:00 gmt       | 0    | 3600
      RFC 9111 4.2.2: an invalid Last-Modified gives no heuristic | 200 | Date: @T+0 // Last-Modified: Thu, 01 Jan 2025 00:00:00 UTC | 0    | 0
      RFC 9110 6.6.1: an invalid Date is the time of receipt      | 200 | Date: Thu, 01 Jan 2026 00:00:00 UTC // Expires: @T+3600    | 600  | 3000
      RFC 9111 4.2.1: differing Expires lines: stale              | 200 | Date: @T+0 // Expires: @T+60 // Expires: @T+120            | 0    | 0
      RFC 9111 4.2.1: invalid max-age: stale despite Expires      | 200 | Cache-Control: max-age=ten // Date: @T+0 // Expires: @T+60 | 0    | 0
      RFC 9111 4.2.1: conflicting max-age: stale                  | 200 | Cache-Control: max-age=60, max-age=600                     | 0    | 0
      RFC 9111 1.2.2: huge max-age saturates at 2^31 s            | 200 | Cache-Control: max-age=999999999999999999999999999         | 0    | 2147483648
      RFC 9111 4.2.2: heuristic 10% of Date minus Last-Modified   | 200 | Date: @T+0 // Last-Modified: @T-1000                       | 0    | 100
      RFC 9111 4.2.2: heuristic capped at a day                   | 200 | Date: @T+0 // Last-Modified: @T-8640000                    | 0    | 86400
      RFC 9111 4.2.2: heuristic counts from receipt without Date  | 404 | Last-Modified: @T-1000                                     | 1000 | 200
      RFC 9110 15.1: 302 is not heuristically cacheable           | 302 | Date: @T+0 // Last-Modified: @T-1000                       | 0    | 0
      RFC 9111 5.2.2.9: public makes it heuristically cacheable   | 302 | Cache-Control: public // Date: @T+0 // Last-Modified: @T-1000 | 0 | 100
      RFC 9111 4.2.2: Last-Modified after Date gives nothing      | 200 | Date: @T+0 // Last-Modified: @T+10                         | 0    | 0
      RFC 9111 4.2.2: no Last-Modified, no heuristic              | 200 | Date: @T+0 // ETag: "x"                                    | 0    | 0
      RFC 9111 4.2.2: no heuristic when explicit (max-age=0)      | 200 | Cache-Control: max-age=0 // Date: @T+0 // Last-Modified: @T-1000 | 0 | 0
      RFC 9111 4.2.2: no heuristic when explicit (Expires)        | 200 | Date: @T+0 // Expires: @T+5 // Last-Modified: @T-100000    | 0    | 5
      """)
  void freshnessLifetime(String rfc, int status, String headers, long receivedAt, long seconds) {
    StoredHead head = stored(status, headers, receivedAt, receivedAt);

    assertThat(Freshness.lifetimeMillis(head)).as(rfc).isEqualTo(seconds * 1000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                      | response headers             | request sent | response received | now | age (s)
      RFC 9111 4.2.3: just received, no Age, Date now              | Date: @T+0                   | 0   | 0   | 0    | 0
      RFC 9111 4.2.3: resident time adds                           | Date: @T+0                   | 0   | 0   | 100  | 100
      RFC 9111 4.2.3: Age plus response delay plus resident time   | Date: @T+0 // Age: 30        | -2  | 0   | 10   | 42
      RFC 9111 4.2.3: apparent age from an old Date                | Date: @T-50                  | 0   | 0   | 0    | 50
      RFC 9111 4.2.3: the larger of apparent and corrected age     | Date: @T-50 // Age: 20       | -1  | 0   | 0    | 50
      RFC 9111 4.2.3: the larger of corrected and apparent age     | Date: @T-5 // Age: 20        | -1  | 0   | 0    | 21
      RFC 9111 4.2.3: a Date ahead of us (skew) adds nothing       | Date: @T+500                 | 0   | 0   | 10   | 10
      RFC 9110 6.6.1: no Date: apparent age 0                      | Age: 3                       | 0   | 0   | 0    | 3
      RFC 9111 5.1: an invalid Age is ignored                      | Date: @T+0 // Age: soon      | 0   | 0   | 0    | 0
      RFC 9111 5.1: a negative Age is ignored                      | Date: @T+0 // Age: -5        | 0   | 0   | 0    | 0
      RFC 9111 5.1: of an Age list the first member counts         | Date: @T+0 // Age: 10, 20    | 0   | 0   | 0    | 10
      RFC 9111 1.2.2: a huge Age saturates                         | Age: 99999999999999999999999 | 0   | 0   | 0    | 2147483648
      RFC 9111 4.2.3: a clock stepped back adds no resident time   | Date: @T+0 // Age: 7         | 0   | 0   | -100 | 7
      RFC 9111 4.2.3: response before request (skew) adds no delay | Date: @T+0                   | 5   | 0   | 0    | 0
      """)
  void currentAge(String rfc, String headers, long sent, long received, long now, long seconds) {
    StoredHead head = stored(200, headers, sent, received);

    long age = Freshness.currentAgeMillis(head, at(now));

    assertThat(Freshness.ageSeconds(age)).as(rfc).isEqualTo(seconds);
  }

  @Test
  void aHeadAgedOnceAgesOnWithTheClock() {
    // A stored head remembers corrected_initial_age (RFC 9111 4.2.3) after its first hit; only
    // resident_time moves with the clock.
    StoredHead head = stored(200, "Date: @T-50 // Age: 20", -1, 0);

    assertThat(Freshness.ageSeconds(Freshness.currentAgeMillis(head, at(0)))).isEqualTo(50);
    assertThat(Freshness.ageSeconds(Freshness.currentAgeMillis(head, at(100)))).isEqualTo(150);
    assertThat(Freshness.ageSeconds(Freshness.currentAgeMillis(head, at(-100)))).isEqualTo(50);
    assertThat(Freshness.lifetimeMillis(Heads.withHeader(head, "Cache-Control", "max-age=9")))
        .isEqualTo(9000);
  }

  @Test
  void aHeadRemembersItsLifetime() {
    // RFC 9111 4.2.1: Expires minus Date, worked out on the first hit and the same on every later
    // one.
    StoredHead head = stored(200, "Date: @T+0 // Expires: @T+3600", 0, 0);

    assertThat(Freshness.lifetimeMillis(head)).isEqualTo(3_600_000);
    assertThat(Freshness.lifetimeMillis(head)).isEqualTo(3_600_000);
    assertThat(CacheDecision.decide(HttpMethod.GET, Heads.headers(""), head, at(3599)).action())
        .isEqualTo(CacheDecision.Action.FRESH);
  }

  @ParameterizedTest(name = "{0} ms -> Age: {1}")
  @CsvSource(
      textBlock =
          """
      0,                   0
      999,                 0
      1000,                1
      -5000,               0
      9223372036854775807, 2147483648
      """)
  void ageFieldIsWholeSecondsCappedAtTwoToThe31(long millis, long seconds) {
    // RFC 9111 5.1 (delta-seconds) and 1.2.2 (the 2^31 cap).
    assertThat(Freshness.ageSeconds(millis)).isEqualTo(seconds);
  }
}
