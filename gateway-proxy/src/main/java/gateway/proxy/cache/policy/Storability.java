package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * Whether a shared cache may store a response (RFC 9111 3, 3.5), with the reason, for debug logs.
 *
 * <p>Choices beyond the RFC, each on the side of storing less:
 *
 * <ul>
 *   <li>Only GET responses are stored; a HEAD is answered from the stored GET (see {@link
 *       CacheKey}).
 *   <li>206 is not stored (we do not combine partial content, RFC 9111 3.3), nor 304.
 *   <li>{@code private="field"} is not stored: RFC 9111 5.2.2.7 would allow storing with the fields
 *       removed; we do not rewrite stored heads.
 *   <li>A response with {@code Set-Cookie} is not stored. RFC 9111 7.3 notes that Set-Cookie does
 *       not inhibit caching, but a shared office cache that hands one user's session cookie to
 *       another is the worst failure it can have, and origins often forget {@code private}. nginx
 *       and Varnish make the same choice by default.
 *   <li>A response without explicit freshness and without a validator (ETag, Last-Modified) is not
 *       stored: it would be stale at once and could only be fetched again, never revalidated (the
 *       note at the end of RFC 9111 3).
 * </ul>
 */
public final class Storability {

  /**
   * The final status codes defined by RFC 9110 15, whose caching requirements we know (for {@code
   * must-understand}, RFC 9111 5.2.2.3).
   */
  static final Set<Integer> UNDERSTOOD_STATUS =
      Set.of(
          200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403,
          404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500,
          501, 502, 503, 504, 505);

  /** The answer, with a short reason such as {@code "no-store in response"}. */
  public record Verdict(boolean storable, String reason) {
    static Verdict store(String reason) {
      return new Verdict(true, reason);
    }

    static Verdict refuse(String reason) {
      return new Verdict(false, reason);
    }
  }

  private Storability() {}

  /**
   * May the response ({@code status}, {@code response} headers) to this request be stored?
   *
   * @param request the client's request headers as received
   */
  public static Verdict of(
      HttpMethod method, HttpHeaders request, int status, HttpHeaders response) {
    if (!HttpMethod.GET.equals(method)) {
      return Verdict.refuse("method " + method + " is not stored");
    }
    if (status < 200) {
      return Verdict.refuse("status " + status + " is not final");
    }
    if (status == 206 || status == 304) {
      return Verdict.refuse("status " + status + " is not stored");
    }
    CacheControl cc = CacheControl.of(response);
    if (cc.mustUnderstand()) {
      // RFC 9111 5.2.2.3: store only if we understand the status; then no-store is to be ignored.
      if (!UNDERSTOOD_STATUS.contains(status)) {
        return Verdict.refuse("must-understand with status " + status);
      }
    } else if (cc.noStore()) {
      return Verdict.refuse("no-store in response");
    }
    if (CacheControl.of(request).noStore()) {
      return Verdict.refuse("no-store in request"); // RFC 9111 5.2.1.5
    }
    if (cc.isPrivate()) {
      return Verdict.refuse("private"); // RFC 9111 5.2.2.7
    }
    if (request.contains(HttpHeaderNames.AUTHORIZATION)
        && !(cc.isPublic() || cc.sMaxAge() != CacheControl.ABSENT || cc.mustRevalidate())) {
      return Verdict.refuse("Authorization without public, s-maxage or must-revalidate"); // 3.5
    }
    if (Vary.names(response).contains(Vary.ANY)) {
      return Verdict.refuse("Vary: *"); // RFC 9111 4.1: it can never be selected
    }
    if (response.contains(HttpHeaderNames.SET_COOKIE)) {
      return Verdict.refuse("Set-Cookie");
    }
    if (response.contains(HttpHeaderNames.EXPIRES)
        || cc.maxAge() != CacheControl.ABSENT
        || cc.sMaxAge() != CacheControl.ABSENT
        || cc.freshnessInvalid()) {
      return Verdict.store("explicit freshness");
    }
    if (!cc.isPublic() && !Freshness.HEURISTICALLY_CACHEABLE.contains(status)) {
      return Verdict.refuse("status " + status + " without explicit freshness");
    }
    if (!response.contains(HttpHeaderNames.ETAG)
        && !response.contains(HttpHeaderNames.LAST_MODIFIED)) {
      return Verdict.refuse("no explicit freshness and no validator");
    }
    if (cc.isPublic()) {
      return Verdict.store("public");
    }
    return Verdict.store("heuristically cacheable status " + status);
  }
}
