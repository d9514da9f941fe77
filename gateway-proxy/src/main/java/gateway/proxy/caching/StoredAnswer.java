package gateway.proxy.caching;

import gateway.core.log.CacheAction;
import gateway.proxy.cache.policy.ByteRange;
import gateway.proxy.cache.policy.Freshness;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.cache.policy.Validation;
import gateway.proxy.cache.store.CachedObject;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What to send a client from a stored response: the head, and which bytes of the stored body
 * ({@code count} from {@code from}; none for a 304, a 416 or a HEAD), with the result code to log.
 * A client whose own copy is still good gets a 304 (RFC 9111 4.3.2), a single range a 206.
 */
record StoredAnswer(HttpResponse head, long from, long count, CacheAction action) {

  /**
   * @param asked the request's headers as the client sent them (its validators and range)
   * @param action how the stored response was found: a hit, a refresh, a stale copy
   */
  static StoredAnswer of(
      CachedObject stored, HttpMethod method, HttpHeaders asked, CacheAction action, long now) {
    StoredHead head = stored.head();
    long age = Freshness.ageSeconds(Freshness.currentAgeMillis(head, now));
    long length = stored.length();
    if (Validation.clientConditionalMatches(asked, head)) {
      boolean hit = action == CacheAction.TCP_HIT || action == CacheAction.TCP_MEM_HIT;
      return new StoredAnswer(
          StoredResponses.notModified(head, age), 0, 0, hit ? CacheAction.TCP_IMS_HIT : action);
    }
    boolean headOnly = method.equals(HttpMethod.HEAD);
    ByteRange range = ByteRange.of(method, asked, head, length);
    if (range instanceof ByteRange.Satisfiable part) {
      return new StoredAnswer(
          StoredResponses.partial(head, part.first(), part.last(), length, age),
          part.first(),
          headOnly ? 0 : part.last() - part.first() + 1,
          action);
    }
    if (range instanceof ByteRange.Unsatisfiable) {
      return new StoredAnswer(StoredResponses.unsatisfiable(head, length), 0, 0, action);
    }
    return new StoredAnswer(
        StoredResponses.whole(head, length, age), 0, headOnly ? 0 : length, action);
  }

  /** Whether the answer comes from the cache alone, with no uplink involved. */
  boolean withoutOrigin() {
    return action == CacheAction.TCP_HIT
        || action == CacheAction.TCP_MEM_HIT
        || action == CacheAction.TCP_IMS_HIT;
  }
}
