package gateway.proxy.exchange;

import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The part an exchange plays for the cache, one at a time: none, leading a download into it, asking
 * the origin about a stored response, serving a stored response the origin confirmed, going out
 * again after a 304 about another response, or being fed from another client's download.
 */
public sealed interface CacheRole {
  /** The role of an exchange the cache has nothing to do with. */
  static CacheRole none() {
    // The instance lives in None, not here: a constant of a subtype in the interface could
    // deadlock two threads initialising the two classes at once.
    return None.INSTANCE;
  }

  /** The response only passes (no cache, a method it does not look up, or nothing to do). */
  record None() implements CacheRole {
    static final None INSTANCE = new None();
  }

  /**
   * Leads {@code fill}, a download into the cache: once the origin's head is stored, {@code writer}
   * (null before) takes the body as it passes to the client.
   */
  record Filling(Fill fill, ObjectWriter writer) implements CacheRole {}

  /**
   * Asks the origin whether {@code stored} is still good (a conditional request), the client's own
   * {@code clientHeaders} set aside; leads {@code fill}, or none (null).
   */
  record Validating(CachedObject stored, HttpHeaders clientHeaders, Fill fill)
      implements CacheRole {}

  /** The origin said {@code stored} is still good (304): it is served once that 304 has ended. */
  record Refreshed(CachedObject stored, HttpHeaders clientHeaders) implements CacheRole {}

  /** A 304 did not confirm the stored response: the request goes out again once it has ended. */
  record Refetching(HttpHeaders clientHeaders) implements CacheRole {}

  /** Fed from another client's download of the same URL. */
  record Following(Feed feed) implements CacheRole {}

  /** What the client side tells the feed of a following exchange. */
  interface Feed {
    /** The client can take more: go on sending. */
    void clientWritable();

    /** The client went away: stop. */
    void stop();
  }

  /**
   * The request headers the client sent, when the gateway replaced its validators (and range) with
   * its own: what the client asked is answered from these. Null when they were not replaced.
   */
  default HttpHeaders clientHeaders() {
    if (this instanceof Validating v) {
      return v.clientHeaders();
    }
    if (this instanceof Refreshed r) {
      return r.clientHeaders();
    }
    return this instanceof Refetching r ? r.clientHeaders() : null;
  }
}
