package gateway.proxy.cache;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * A stored response without its body: what the cache needs to answer from it, age it and validate
 * it. Immutable once stored (a 304 replaces it with an updated copy); the headers are never modified
 * in place.
 *
 * @param url the cache key's primary part, as {@link CacheKey#of} builds it
 * @param variant the secondary key from the request headers the response's {@code Vary} names
 *     ({@code ""} when it has none), as {@link Vary#secondaryKey} builds it
 * @param status the response's status code
 * @param headers the response's end-to-end headers as received (hop-by-hop fields removed)
 * @param requestTime epoch milliseconds when the request that produced it went out (RFC 9111 4.2.3)
 * @param responseTime epoch milliseconds when its head was received
 */
public record StoredHead(
    String url,
    String variant,
    int status,
    HttpHeaders headers,
    long requestTime,
    long responseTime) {

  /** The store's key for this response: primary and secondary key together. */
  public String key() {
    return key(url, variant);
  }

  public static String key(String url, String variant) {
    return variant.isEmpty() ? url : url + '\n' + variant;
  }
}
