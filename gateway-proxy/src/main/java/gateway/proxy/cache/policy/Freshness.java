package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;

/**
 * How long a stored response stays fresh and how old it is (RFC 9111 4.2), in epoch milliseconds.
 * All times are passed in: nothing here reads a clock.
 */
public final class Freshness {

  /** RFC 9110 15.1: the status codes a cache may give a heuristic lifetime. */
  static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  /**
   * The most a heuristic lifetime is allowed to be (RFC 9111 4.2.2 suggests a fraction; we cap).
   */
  public static final long HEURISTIC_CAP_MILLIS = 24L * 60 * 60 * 1000;

  private Freshness() {}

  /**
   * The freshness lifetime of {@code head} for a shared cache (RFC 9111 4.2.1), in milliseconds;
   * the head remembers it after the first call.
   */
  public static long lifetimeMillis(StoredHead head) {
    return head.lifetimeMillis();
  }

  /** Works the lifetime out from the head's fields, {@code cc} being its Cache-Control. */
  static long lifetimeMillis(StoredHead head, CacheControl cc) {
    if (cc.freshnessInvalid()) {
      return 0; // RFC 9111 4.2.1: invalid freshness information is treated as stale.
    }
    if (cc.sMaxAge() != CacheControl.ABSENT) {
      return cc.sMaxAge() * 1000; // a shared cache: s-maxage before max-age (RFC 9111 5.2.2.10)
    }
    if (cc.maxAge() != CacheControl.ABSENT) {
      return cc.maxAge() * 1000;
    }
    HttpHeaders h = head.headers();
    List<String> expires = h.getAll(HttpHeaderNames.EXPIRES);
    if (!expires.isEmpty()) {
      // RFC 9111 5.3: an invalid date, "0" in particular, is in the past. Several different
      // Expires lines: RFC 9111 4.2.1 allows the first or stale; stale, as for max-age.
      Long at = HttpDates.parse(expires.get(0), head.responseTime());
      if (at == null || expires.stream().distinct().count() > 1) {
        return 0;
      }
      return Math.max(0, at - dateValue(head));
    }
    return heuristicLifetimeMillis(head, cc);
  }

  /**
   * RFC 9111 4.2.2: 10% of the time since Last-Modified as of Date, capped at a day; only for
   * heuristically cacheable statuses (RFC 9110 15.1) or responses marked {@code public} (RFC 9111
   * 5.2.2.9). Zero without a usable Last-Modified.
   */
  private static long heuristicLifetimeMillis(StoredHead head, CacheControl cc) {
    if (!cc.isPublic() && !HEURISTICALLY_CACHEABLE.contains(head.status())) {
      return 0;
    }
    Long lastModified =
        HttpDates.parse(head.headers().get(HttpHeaderNames.LAST_MODIFIED), head.responseTime());
    if (lastModified == null) {
      return 0;
    }
    long sinceModified = dateValue(head) - lastModified;
    return sinceModified <= 0 ? 0 : Math.min(HEURISTIC_CAP_MILLIS, sinceModified / 10);
  }

  /**
   * The response's age now (RFC 9111 4.2.3), in milliseconds, never negative:
   *
   * <pre>
   * apparent_age          = max(0, response_time - date_value)
   * response_delay        = response_time - request_time
   * corrected_age_value   = age_value + response_delay
   * corrected_initial_age = max(apparent_age, corrected_age_value)
   * resident_time         = now - response_time
   * current_age           = corrected_initial_age + resident_time
   * </pre>
   *
   * Clock trouble is clamped rather than trusted: a Date ahead of us gives no apparent age, and a
   * clock that went back (now before response_time, response before request) adds nothing.
   */
  public static long currentAgeMillis(StoredHead head, long now) {
    long residentTime = Math.max(0, now - head.responseTime());
    return head.correctedInitialAgeMillis() + residentTime;
  }

  /**
   * The part of {@link #currentAgeMillis} that does not change with time: corrected_initial_age.
   * {@link StoredHead} remembers it, so a hit does not parse the stored Date and Age again.
   */
  static long correctedInitialAgeMillis(StoredHead head) {
    long apparentAge = Math.max(0, head.responseTime() - dateValue(head));
    long responseDelay = Math.max(0, head.responseTime() - head.requestTime());
    long correctedAgeValue = ageValueSeconds(head.headers()) * 1000 + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /** The {@code Age} field value to send with a response this old (RFC 9111 5.1, 1.2.2). */
  public static long ageSeconds(long currentAgeMillis) {
    return DeltaSeconds.ofMillis(currentAgeMillis);
  }

  /**
   * The response's Date (RFC 9110 6.6.1); the time it was received when Date is missing or invalid,
   * which is what a recipient with a clock is told to use.
   */
  static long dateValue(StoredHead head) {
    Long date = HttpDates.parse(head.headers().get(HttpHeaderNames.DATE), head.responseTime());
    return date == null ? head.responseTime() : date;
  }

  /**
   * The received {@code Age} in seconds (RFC 9111 5.1): of a list, the first member; an invalid
   * value is ignored (0).
   */
  static long ageValueSeconds(HttpHeaders headers) {
    String age = headers.get(HttpHeaderNames.AGE);
    if (age == null) {
      return 0;
    }
    int comma = age.indexOf(',');
    long seconds = DeltaSeconds.parse((comma < 0 ? age : age.substring(0, comma)).trim());
    return seconds == DeltaSeconds.INVALID ? 0 : seconds;
  }
}
