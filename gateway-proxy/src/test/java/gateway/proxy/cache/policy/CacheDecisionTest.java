package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.at;
import static gateway.proxy.cache.policy.Heads.headers;
import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.CacheDecision.Action;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Serving from the store or going to the origin (RFC 9111 4.2.4, 5.2; RFC 5861). The stored
 * response was received at time 0 with {@code Date: @T+0} unless the row says otherwise; {@code
 * now} is in seconds.
 */
class CacheDecisionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                    | request headers                      | stored response headers                           | now | action | Age
      RFC 9111 4.2: fresh while lifetime > age                   | ''                                   | Cache-Control: max-age=60                           | 30  | FRESH  | 30
      RFC 9111 4.2: stale once age reaches the lifetime          | ''                                   | Cache-Control: max-age=60                           | 60  | VALIDATE | 60
      RFC 9111 4.2.3: a received Age counts against freshness    | ''                                   | Cache-Control: max-age=60 // Age: 70                | 0   | VALIDATE | 70
      RFC 9111 4.2.2: heuristic freshness serves                 | ''                                   | Last-Modified: @T-1000                              | 50  | FRESH  | 50
      RFC 9111 5.3: an invalid Expires is stale                  | ''                                   | Expires: 0                                          | 0   | VALIDATE | 0
      RFC 9111 5.2.1.4: request no-cache validates a fresh one   | Cache-Control: no-cache              | Cache-Control: max-age=60                           | 1   | VALIDATE | 1
      RFC 9111 5.4: Pragma no-cache without Cache-Control        | Pragma: no-cache                     | Cache-Control: max-age=60                           | 1   | VALIDATE | 1
      RFC 9111 5.4: Pragma ignored when Cache-Control is sent    | Cache-Control: max-stale=0 // Pragma: no-cache | Cache-Control: max-age=60                 | 1   | FRESH  | 1
      RFC 9111 5.2.2.4: response no-cache validates even fresh   | ''                                   | Cache-Control: no-cache, max-age=60                 | 1   | VALIDATE | 1
      RFC 9111 5.2.2.4: qualified no-cache treated as unqualified | ''                                  | 'Cache-Control: no-cache="Set-Cookie", max-age=60'  | 1   | VALIDATE | 1
      RFC 9111 5.2.1.1: request max-age=0 validates              | Cache-Control: max-age=0             | Cache-Control: max-age=60                           | 1   | VALIDATE | 1
      RFC 9111 5.2.1.1: max-age=0 and age 0 is still acceptable  | Cache-Control: max-age=0             | Cache-Control: max-age=60                           | 0   | FRESH  | 0
      RFC 9111 5.2.1.1: older than request max-age               | Cache-Control: max-age=30            | Cache-Control: max-age=60                           | 40  | VALIDATE | 40
      RFC 9111 5.2.1.1: within request max-age                   | Cache-Control: max-age=30            | Cache-Control: max-age=60                           | 30  | FRESH  | 30
      RFC 9111 4.2.1: unreadable request max-age acts as 0       | Cache-Control: max-age=soon          | Cache-Control: max-age=60                           | 1   | VALIDATE | 1
      RFC 9111 5.2.1.3: fresh for less than min-fresh            | Cache-Control: min-fresh=20          | Cache-Control: max-age=60                           | 50  | VALIDATE | 50
      RFC 9111 5.2.1.3: fresh for at least min-fresh             | Cache-Control: min-fresh=20          | Cache-Control: max-age=60                           | 40  | FRESH  | 40
      RFC 9111 5.2.1.3: min-fresh never accepts stale            | Cache-Control: min-fresh=0, max-stale | Cache-Control: max-age=60                          | 70  | VALIDATE | 70
      RFC 9111 5.2.1.2: stale within max-stale                   | Cache-Control: max-stale=30          | Cache-Control: max-age=60                           | 80  | STALE_SERVABLE | 80
      RFC 9111 5.2.1.2: stale beyond max-stale                   | Cache-Control: max-stale=10          | Cache-Control: max-age=60                           | 80  | VALIDATE | 80
      RFC 9111 5.2.1.2: max-stale without value accepts any      | Cache-Control: max-stale             | Cache-Control: max-age=60                           | 999999 | STALE_SERVABLE | 999999
      RFC 9111 5.2.1.1: max-age bounds age, max-stale staleness  | Cache-Control: max-age=120, max-stale=100 | Cache-Control: max-age=60                      | 110 | STALE_SERVABLE | 110
      RFC 9111 5.2.1.1: max-age still bounds age under max-stale | Cache-Control: max-age=100, max-stale=100 | Cache-Control: max-age=60                      | 110 | VALIDATE | 110
      RFC 9111 5.2.2.2: must-revalidate beats max-stale          | Cache-Control: max-stale             | Cache-Control: max-age=60, must-revalidate          | 61  | VALIDATE | 61
      RFC 9111 5.2.2.8: proxy-revalidate beats max-stale         | Cache-Control: max-stale             | Cache-Control: max-age=60, proxy-revalidate         | 61  | VALIDATE | 61
      RFC 9111 5.2.2.10: s-maxage beats max-stale                | Cache-Control: max-stale             | Cache-Control: s-maxage=60                          | 61  | VALIDATE | 61
      RFC 9111 5.2.2.2: must-revalidate does not touch fresh     | ''                                   | Cache-Control: max-age=60, must-revalidate          | 59  | FRESH  | 59
      RFC 5861 3: stale within stale-while-revalidate            | ''                                   | Cache-Control: max-age=60, stale-while-revalidate=30 | 80 | STALE_WHILE_REVALIDATE | 80
      RFC 5861 3: stale beyond stale-while-revalidate            | ''                                   | Cache-Control: max-age=60, stale-while-revalidate=30 | 95 | VALIDATE | 95
      RFC 5861 3 / RFC 9111 5.2.2.2: must-revalidate wins        | ''                                   | Cache-Control: max-age=60, stale-while-revalidate=30, must-revalidate | 80 | VALIDATE | 80
      RFC 9111 5.2.1.7: only-if-cached, fresh                    | Cache-Control: only-if-cached        | Cache-Control: max-age=60                           | 1   | FRESH  | 1
      RFC 9111 5.2.1.7: only-if-cached, stale: 504               | Cache-Control: only-if-cached        | Cache-Control: max-age=60                           | 61  | GATEWAY_TIMEOUT | 61
      RFC 9111 5.2.1.7: only-if-cached with max-stale            | Cache-Control: only-if-cached, max-stale=10 | Cache-Control: max-age=60                    | 61  | STALE_SERVABLE | 61
      RFC 9111 5.2.1.7: only-if-cached and no-cache: 504         | Cache-Control: only-if-cached, no-cache | Cache-Control: max-age=60                        | 1   | GATEWAY_TIMEOUT | 1
      """)
  void decides(String rfc, String request, String response, long now, Action action, long age) {
    CacheDecision d =
        CacheDecision.decide(HttpMethod.GET, headers(request), storedAt0(response), at(now));

    assertThat(d.action()).as(rfc + " (" + d.reason() + ")").isEqualTo(action);
    assertThat(d.ageSeconds()).as(rfc).isEqualTo(age);
  }

  @Test
  void headIsDecidedLikeGet() {
    // RFC 9110 9.3.2: a HEAD can be answered from the stored GET.
    CacheDecision d =
        CacheDecision.decide(
            HttpMethod.HEAD, headers(""), storedAt0("Cache-Control: max-age=60"), at(1));

    assertThat(d.action()).isEqualTo(Action.FRESH);
  }

  @Test
  void otherMethodsAreNeverAnsweredFromTheStore() {
    // RFC 9111 4: only a request whose method allows it is answered from a stored response.
    CacheDecision d =
        CacheDecision.decide(
            HttpMethod.POST, headers(""), storedAt0("Cache-Control: max-age=60"), at(1));

    assertThat(d.action()).isEqualTo(Action.MISS);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      RFC 9111 4: nothing stored: forward                      | ''                             | MISS
      RFC 9111 5.2.1.7: only-if-cached, nothing stored: 504    | Cache-Control: only-if-cached  | GATEWAY_TIMEOUT
      """)
  void decidesWithoutAStoredResponse(String rfc, String request, Action action) {
    assertThat(CacheDecision.withoutStoredResponse(headers(request)).action())
        .as(rfc)
        .isEqualTo(action);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                    | request headers                | stored response headers                               | now | allowed
      RFC 5861 4: response stale-if-error covers the staleness | ''                             | Cache-Control: max-age=10, stale-if-error=60           | 50  | true
      RFC 5861 4: staleness beyond response stale-if-error     | ''                             | Cache-Control: max-age=10, stale-if-error=60           | 80  | false
      RFC 5861 4: request stale-if-error                       | Cache-Control: stale-if-error=100 | Cache-Control: max-age=10                           | 80  | true
      RFC 5861 4: request stale-if-error can be narrower       | Cache-Control: stale-if-error=5 | Cache-Control: max-age=10, stale-if-error=60          | 50  | false
      RFC 5861 4: neither says stale-if-error                  | ''                             | Cache-Control: max-age=10                              | 11  | false
      RFC 9111 4.2.4: a fresh response can always be served    | ''                             | Cache-Control: max-age=10                              | 5   | true
      RFC 9111 4.2.4: must-revalidate forbids it               | ''                             | Cache-Control: max-age=10, stale-if-error=60, must-revalidate | 50 | false
      RFC 9111 4.2.4: proxy-revalidate forbids it              | Cache-Control: stale-if-error=60 | Cache-Control: max-age=10, proxy-revalidate          | 50  | false
      RFC 9111 4.2.4: s-maxage forbids it                      | ''                             | Cache-Control: s-maxage=10, stale-if-error=60          | 50  | false
      RFC 9111 4.2.4: no-cache forbids it                      | ''                             | Cache-Control: no-cache, stale-if-error=60, max-age=99 | 5   | false
      RFC 9111 5.2.1.4: request no-cache refuses the origin's  | Cache-Control: no-cache        | Cache-Control: max-age=10, stale-if-error=60           | 50  | false
      RFC 5861 4: request no-cache with its own stale-if-error | Cache-Control: no-cache, stale-if-error=60 | Cache-Control: max-age=10                  | 50  | true
      """)
  void staleIfError(String rfc, String request, String response, long now, boolean allowed) {
    assertThat(CacheDecision.staleIfErrorAllows(storedAt0(response), headers(request), at(now)))
        .as(rfc)
        .isEqualTo(allowed);
  }

  /** A 200 received at time 0 with Date: @T+0 and these headers. */
  private static StoredHead storedAt0(String response) {
    return stored(200, "Date: @T+0 // " + response, 0, 0);
  }
}
