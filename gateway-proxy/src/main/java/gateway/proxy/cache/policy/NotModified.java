package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * What a 304 from the origin does to the stored response it answers (RFC 9111 4.3.4): either the
 * stored response is updated and stays shared, or it is dropped. Pure: the caller stores, removes
 * and answers.
 */
public sealed interface NotModified {

  /**
   * The stored response, updated: {@code stored} replaces it (for every later client), {@code
   * answer} is what the client whose request brought the 304 is answered from: the same plus the
   * 304's fields meant for that client alone (its cookies).
   */
  record Updated(StoredHead stored, StoredHead answer) implements NotModified {}

  /**
   * The stored response is to be removed, and the request sent again without validators: the 304 is
   * about another response, or the response it updates may no longer be shared.
   */
  record Dropped(String reason) implements NotModified {}

  /**
   * Decides on a 304 received at {@code responseTime} for a request sent at {@code requestTime}.
   * The updated response is dropped rather than stored when a shared cache could not store it as a
   * new response (RFC 9111 3: {@code private}, {@code no-store}, {@code Vary: *}; see {@link
   * Storability}), and when its Vary names other fields: it was stored under the secondary key of
   * the old ones (RFC 9111 4.1). Its client is then answered by a new request, not from the
   * withdrawn copy, which another client may already be reading.
   */
  static NotModified of(
      StoredHead old, HttpHeaders headersOf304, long requestTime, long responseTime) {
    StoredHead stored =
        Validation.freshen(old, headersOf304, requestTime, responseTime).orElse(null);
    if (stored == null) {
      return new Dropped("the 304 is about another response");
    }
    Storability.Verdict shared =
        Storability.of(HttpMethod.GET, new DefaultHttpHeaders(), stored.status(), stored.headers());
    if (!shared.storable()) {
      return new Dropped("the 304 makes it unstorable: " + shared.reason());
    }
    if (!Vary.names(stored.headers()).equals(Vary.names(old.headers()))) {
      return new Dropped("the 304 changes Vary");
    }
    return new Updated(stored, forRequester(stored, headersOf304));
  }

  /** {@code stored} with the 304's fields for its requester alone, or {@code stored} if none. */
  private static StoredHead forRequester(StoredHead stored, HttpHeaders headersOf304) {
    HttpHeaders own = null;
    for (CharSequence name : Validation.REQUESTER_ONLY) {
      List<String> values = headersOf304.getAll(name);
      if (!values.isEmpty()) {
        own = own != null ? own : stored.headers().copy();
        own.set(name, values);
      }
    }
    return own == null
        ? stored
        : new StoredHead(
            stored.url(),
            stored.variant(),
            stored.status(),
            own,
            stored.requestTime(),
            stored.responseTime());
  }
}
