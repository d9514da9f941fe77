package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * What to do with a request given the response stored for it (RFC 9111 4, 4.2.4, 5.2; RFC 5861): a
 * pure function of the request, the stored head and the time.
 *
 * @param action what the caller does
 * @param ageMillis the stored response's current age (RFC 9111 4.2.3); 0 without one. Send {@link
 *     #ageSeconds()} as {@code Age} with whatever is served from the store.
 * @param reason a few words for debug logs, such as {@code "request no-cache"}
 */
public record CacheDecision(Action action, long ageMillis, String reason) {

  public enum Action {
    /** Serve the stored response: it is fresh enough for this request. */
    FRESH,
    /** Serve the stored response although stale: the request's {@code max-stale} accepts it. */
    STALE_SERVABLE,
    /**
     * Serve the stored response although stale, and revalidate it in the background (RFC 5861 3,
     * {@code stale-while-revalidate}).
     */
    STALE_WHILE_REVALIDATE,
    /**
     * Send a conditional request ({@link Validation#conditionalRequest}); answer from its result.
     */
    VALIDATE,
    /**
     * The request says {@code only-if-cached} and nothing stored may answer it: reply 504 without
     * contacting the origin (RFC 9111 5.2.1.7).
     */
    GATEWAY_TIMEOUT,
    /** Nothing stored can be used: forward the request unchanged. */
    MISS
  }

  /** Whether the action answers from the store without waiting for the origin. */
  public boolean servesStored() {
    return action == Action.FRESH
        || action == Action.STALE_SERVABLE
        || action == Action.STALE_WHILE_REVALIDATE;
  }

  /** The {@code Age} field value for a response served from the store (RFC 9111 5.1). */
  public long ageSeconds() {
    return Freshness.ageSeconds(ageMillis);
  }

  /**
   * The decision when nothing is stored for the request (or the stored response's Vary does not
   * match): MISS, or GATEWAY_TIMEOUT under {@code only-if-cached}.
   */
  public static CacheDecision withoutStoredResponse(HttpHeaders request) {
    return CacheControl.of(request).onlyIfCached()
        ? new CacheDecision(Action.GATEWAY_TIMEOUT, 0, "only-if-cached, nothing stored")
        : new CacheDecision(Action.MISS, 0, "nothing stored");
  }

  /**
   * The decision for a GET or HEAD request for which {@code stored} was found (same key, Vary
   * matched). Other methods are never answered from the store: MISS.
   *
   * <p>In order: a request that forbids a stored answer ({@code no-cache}, or {@code Pragma:
   * no-cache} without Cache-Control, RFC 9111 5.2.1.4, 5.4) and a stored {@code no-cache} response
   * (5.2.2.4) validate; then a fresh response is served unless the request's {@code max-age} or
   * {@code min-fresh} want it younger (5.2.1.1, 5.2.1.3); a stale one is served only when allowed
   * (4.2.4): never under {@code must-revalidate}, {@code proxy-revalidate} or {@code s-maxage}
   * (5.2.2.2, 5.2.2.8, 5.2.2.10), else within the request's {@code max-stale} (5.2.1.2) or the
   * response's {@code stale-while-revalidate} (RFC 5861 3). Whatever must go to the origin becomes
   * GATEWAY_TIMEOUT under {@code only-if-cached}.
   *
   * <p>An unreadable request {@code max-age} is taken as {@code max-age=0} (validate).
   */
  public static CacheDecision decide(
      HttpMethod method, HttpHeaders request, StoredHead stored, long now) {
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return new CacheDecision(Action.MISS, 0, "method " + method + " is not answered from cache");
    }
    CacheControl req = CacheControl.of(request);
    CacheDecision decision = decide(req, request, stored, now);
    if (req.onlyIfCached() && !decision.servesStored()) {
      return new CacheDecision(
          Action.GATEWAY_TIMEOUT, decision.ageMillis(), "only-if-cached, " + decision.reason());
    }
    return decision;
  }

  private static CacheDecision decide(
      CacheControl req, HttpHeaders request, StoredHead stored, long now) {
    CacheControl res = stored.cacheControl();
    long age = Freshness.currentAgeMillis(stored, now);
    long lifetime = Freshness.lifetimeMillis(stored);
    if (req.noCache()) {
      return validate(age, "request no-cache");
    }
    if (!request.contains(HttpHeaderNames.CACHE_CONTROL) && CacheControl.pragmaNoCache(request)) {
      return validate(age, "request Pragma: no-cache");
    }
    if (res.noCache()) {
      // RFC 9111 5.2.2.4 lets a qualified no-cache be treated as unqualified: we do.
      return validate(age, "response no-cache");
    }
    boolean tooOld = req.maxAge() != CacheControl.ABSENT && age > req.maxAge() * 1000;
    if (req.freshnessInvalid() || tooOld) {
      return validate(age, "older than request max-age");
    }
    if (lifetime > age) {
      if (req.minFresh() != CacheControl.ABSENT && lifetime - age < req.minFresh() * 1000) {
        return validate(age, "fresh for less than request min-fresh");
      }
      return new CacheDecision(Action.FRESH, age, "fresh");
    }
    long staleness = age - lifetime;
    if (res.mustRevalidate() || res.proxyRevalidate() || res.sMaxAge() != CacheControl.ABSENT) {
      return validate(age, "stale, and the response forbids serving it stale");
    }
    if (req.minFresh() != CacheControl.ABSENT) {
      return validate(age, "stale, and the request wants min-fresh");
    }
    if (req.maxStale() != CacheControl.ABSENT && staleness <= millis(req.maxStale())) {
      return new CacheDecision(Action.STALE_SERVABLE, age, "stale within request max-stale");
    }
    if (res.staleWhileRevalidate() != CacheControl.ABSENT
        && staleness <= millis(res.staleWhileRevalidate())) {
      return new CacheDecision(Action.STALE_WHILE_REVALIDATE, age, "stale-while-revalidate");
    }
    return validate(age, "stale");
  }

  /**
   * Whether {@code stored} may be served stale because the origin cannot be asked or answered with
   * an error (5xx, unreachable, every uplink down): RFC 5861 4 {@code stale-if-error}, from the
   * request or the response, covers its staleness. Never when the response forbids stale serving
   * ({@code no-cache}, {@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}: RFC
   * 9111 4.2.4) or the request says {@code no-cache} without {@code stale-if-error} of its own. A
   * fresh response is always allowed.
   */
  public static boolean staleIfErrorAllows(
      StoredHead stored, HttpHeaders requestHeaders, long now) {
    CacheControl req = CacheControl.of(requestHeaders);
    CacheControl res = stored.cacheControl();
    long age = Freshness.currentAgeMillis(stored, now);
    long staleness = age - Freshness.lifetimeMillis(stored);
    if (res.noCache()
        || res.mustRevalidate()
        || res.proxyRevalidate()
        || res.sMaxAge() != CacheControl.ABSENT) {
      return false;
    }
    if (staleness < 0) {
      return true;
    }
    if (req.staleIfError() != CacheControl.ABSENT) {
      return staleness <= millis(req.staleIfError());
    }
    return !req.noCache()
        && res.staleIfError() != CacheControl.ABSENT
        && staleness <= millis(res.staleIfError());
  }

  private static CacheDecision validate(long age, String reason) {
    return new CacheDecision(Action.VALIDATE, age, reason);
  }

  private static long millis(long seconds) {
    return seconds == CacheControl.ANY ? Long.MAX_VALUE : seconds * 1000;
  }
}
