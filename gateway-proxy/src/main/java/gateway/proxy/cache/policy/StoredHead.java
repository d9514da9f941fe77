package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * A stored response without its body: what the cache needs to answer from it, age it and validate
 * it. Immutable once stored (a 304 replaces it with an updated copy); the headers are never
 * modified in place.
 *
 * <p>A value with the accessors and equality of a record. It is a class so that it can remember
 * what every hit would otherwise work out again from its headers: the response's {@code
 * Cache-Control}, its freshness lifetime and the part of its age that does not depend on the time
 * of the hit ({@link Freshness}). They are worked out on first use, so headers must be complete
 * before the head is first aged or decided on.
 */
public final class StoredHead {
  private final String url;
  private final String variant;
  private final int status;
  private final HttpHeaders headers;
  private final long requestTime;
  private final long responseTime;
  // Worked out on first use; threads that race to it compute equal values.
  private volatile CacheControl cacheControl;
  private volatile long correctedInitialAge = -1;
  private volatile long lifetime = -1;

  /**
   * @param url the cache key's primary part, as {@link CacheKey#of} builds it
   * @param variant the secondary key from the request headers the response's {@code Vary} names
   *     ({@code ""} when it has none), as {@link Vary#secondaryKey} builds it
   * @param status the response's status code
   * @param headers the response's end-to-end headers as received (hop-by-hop fields removed)
   * @param requestTime epoch milliseconds when the request that produced it went out (RFC 9111
   *     4.2.3)
   * @param responseTime epoch milliseconds when its head was received
   */
  public StoredHead(
      String url,
      String variant,
      int status,
      HttpHeaders headers,
      long requestTime,
      long responseTime) {
    this.url = url;
    this.variant = variant;
    this.status = status;
    this.headers = headers;
    this.requestTime = requestTime;
    this.responseTime = responseTime;
  }

  public String url() {
    return url;
  }

  public String variant() {
    return variant;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  public long requestTime() {
    return requestTime;
  }

  public long responseTime() {
    return responseTime;
  }

  /** The store's key for this response: primary and secondary key together. */
  public String key() {
    return key(url, variant);
  }

  public static String key(String url, String variant) {
    return variant.isEmpty() ? url : url + '\n' + variant;
  }

  /** The response's {@code Cache-Control} directives. */
  public CacheControl cacheControl() {
    CacheControl cc = cacheControl;
    if (cc == null) {
      cc = CacheControl.of(headers);
      cacheControl = cc;
    }
    return cc;
  }

  /**
   * RFC 9111 4.2.3's corrected_initial_age, in milliseconds: see {@link
   * Freshness#currentAgeMillis}.
   */
  long correctedInitialAgeMillis() {
    long age = correctedInitialAge;
    if (age < 0) {
      age = Freshness.correctedInitialAgeMillis(this);
      correctedInitialAge = age;
    }
    return age;
  }

  /** The freshness lifetime in milliseconds: see {@link Freshness#lifetimeMillis}. */
  long lifetimeMillis() {
    long l = lifetime;
    if (l < 0) {
      l = Freshness.lifetimeMillis(this, cacheControl());
      lifetime = l;
    }
    return l;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredHead h
        && url.equals(h.url)
        && variant.equals(h.variant)
        && status == h.status
        && headers.equals(h.headers)
        && requestTime == h.requestTime
        && responseTime == h.responseTime;
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, variant, status, headers, requestTime, responseTime);
  }

  @Override
  public String toString() {
    return "StoredHead[url="
        + url
        + ", variant="
        + variant
        + ", status="
        + status
        + ", headers="
        + headers
        + ", requestTime="
        + requestTime
        + ", responseTime="
        + responseTime
        + "]";
  }
}
