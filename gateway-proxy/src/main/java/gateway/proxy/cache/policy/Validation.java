package gateway.proxy.cache.policy;

import gateway.proxy.message.HopByHop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/**
 * Validating a stored response with the origin and answering clients' own conditional requests from
 * the store (RFC 9111 4.3, RFC 9110 13).
 *
 * <p>The flow the caller follows for a {@link CacheDecision.Action#VALIDATE}:
 *
 * <ol>
 *   <li>send {@link #conditionalRequest} to the origin;
 *   <li>on 304: {@link #freshen} the stored head and store it; if that gives nothing (the 304 is
 *       about another representation), fetch again without conditionals;
 *   <li>on a full response: store it if {@link Storability} allows, as for a miss;
 *   <li>answer the client from the fresh head: 304 when {@link #clientConditionalMatches} (with
 *       {@link #notModifiedHeaders}), else the full response.
 * </ol>
 */
public final class Validation {

  /** Fields a 304 carries (RFC 9110 15.4.5); Last-Modified only when there is no ETag. */
  private static final List<CharSequence> NOT_MODIFIED_FIELDS =
      List.of(
          HttpHeaderNames.CACHE_CONTROL,
          HttpHeaderNames.CONTENT_LOCATION,
          HttpHeaderNames.DATE,
          HttpHeaderNames.ETAG,
          HttpHeaderNames.EXPIRES,
          HttpHeaderNames.VARY);

  /** Fields a 304 does not change in the stored response (see {@link #freshen}). */
  private static final List<CharSequence> KEPT_FROM_STORED =
      List.of(
          HttpHeaderNames.CONTENT_LENGTH,
          HttpHeaderNames.CONTENT_ENCODING,
          HttpHeaderNames.CONTENT_RANGE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          "proxy-authentication-info");

  /**
   * Fields of a 304 for the client whose request brought it, never for the stored response: the
   * cookies it sets (RFC 6265 4.1, and RFC 2965's Set-Cookie2).
   */
  static final List<CharSequence> REQUESTER_ONLY =
      List.of(HttpHeaderNames.SET_COOKIE, "set-cookie2");

  private Validation() {}

  /**
   * The headers of the request that validates {@code stored}: the client's request headers with its
   * own If-None-Match, If-Modified-Since, Range and If-Range replaced by the stored response's
   * validators, since the answer must be about the whole stored response (RFC 9111 4.3.1: the ETag
   * in If-None-Match, the Last-Modified in If-Modified-Since). The client's conditionals are
   * answered afterwards with {@link #clientConditionalMatches}. With no stored validators the
   * request is unconditional and a full response comes back.
   */
  public static HttpHeaders conditionalRequest(HttpHeaders clientRequest, StoredHead stored) {
    HttpHeaders out = new DefaultHttpHeaders().add(clientRequest);
    out.remove(HttpHeaderNames.IF_NONE_MATCH);
    out.remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    out.remove(HttpHeaderNames.RANGE);
    out.remove(HttpHeaderNames.IF_RANGE);
    String etag = stored.headers().get(HttpHeaderNames.ETAG);
    if (etag != null) {
      out.set(HttpHeaderNames.IF_NONE_MATCH, etag);
    }
    String lastModified = stored.headers().get(HttpHeaderNames.LAST_MODIFIED);
    if (lastModified != null && HttpDates.parse(lastModified, stored.responseTime()) != null) {
      out.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
    }
    return out;
  }

  /**
   * Whether the client's own conditional GET or HEAD is answered with 304 from {@code stored}, a
   * stored 200 the request may reuse (RFC 9111 4.3.2). If-None-Match takes precedence and is
   * compared weakly with the stored ETag ({@code *} matches any stored response); without it,
   * If-Modified-Since is compared with the stored Last-Modified, else its Date, else the time it
   * was received. An unreadable date is ignored (RFC 9110 13.1.3). If-Match and If-Unmodified-Since
   * are for the origin and are not evaluated here.
   */
  public static boolean clientConditionalMatches(HttpHeaders request, StoredHead stored) {
    if (stored.status() != 200) {
      return false;
    }
    List<String> ifNoneMatch = request.getAll(HttpHeaderNames.IF_NONE_MATCH);
    if (!ifNoneMatch.isEmpty()) {
      EntityTag storedTag = EntityTag.parse(stored.headers().get(HttpHeaderNames.ETAG));
      for (String line : ifNoneMatch) {
        for (EntityTag tag : EntityTag.parseList(line)) {
          if (tag.isAny() || (storedTag != null && tag.weakMatch(storedTag))) {
            return true;
          }
        }
      }
      return false;
    }
    List<String> since = request.getAll(HttpHeaderNames.IF_MODIFIED_SINCE);
    long now = stored.responseTime(); // near enough to read a two-digit year against
    Long ifModifiedSince = since.size() == 1 ? HttpDates.parse(since.get(0), now) : null;
    if (ifModifiedSince == null) {
      return false;
    }
    Long lastModified = HttpDates.parse(stored.headers().get(HttpHeaderNames.LAST_MODIFIED), now);
    long modified = lastModified != null ? lastModified : Freshness.dateValue(stored);
    return modified <= ifModifiedSince;
  }

  /**
   * The stored head updated by a 304 (RFC 9111 4.3.4, 3.2), or empty when the 304 does not select
   * it:
   *
   * <ul>
   *   <li>a strong ETag in the 304 selects the stored response only if it has the same strong ETag;
   *   <li>a weak ETag, if the stored ETag matches it weakly;
   *   <li>else a Last-Modified, if the stored Last-Modified is the same instant;
   *   <li>a 304 without validators selects it. RFC 9111 4.3.4 says so only when the stored response
   *       has no validator either, but a 304 need not repeat Last-Modified (RFC 9110 15.4.5) and
   *       this 304 answers a request made from this one stored response.
   * </ul>
   *
   * Every field of the 304 replaces the stored one, except (RFC 9111 3.1, 3.2):
   *
   * <ul>
   *   <li>hop-by-hop fields and those about the proxy (Proxy-Authenticate,
   *       Proxy-Authentication-Info), which are never stored;
   *   <li>Content-Length, which RFC 9111 3.2 names;
   *   <li>Content-Encoding and Content-Range, which describe the stored bytes: a 304 that matched
   *       weakly may be about other bytes, and changing them would make the stored body unreadable
   *       for every later client (3.2 lets a cache keep the fields "necessary to assure integrity
   *       of the stored response" and ignore Content-Range). Content-Type is updated: we store the
   *       bytes as received, and 3.2 says the Content-* prefix is no reason to skip a field;
   *   <li>Set-Cookie and Set-Cookie2, which are for the client whose request brought the 304
   *       ({@link #REQUESTER_ONLY}): a shared cache that stored them would hand one user's session
   *       to the next (RFC 9111 7.3; we never store a response with Set-Cookie, see {@link
   *       Storability}).
   * </ul>
   *
   * The times become those of the validation; a 304 without Date gets its receipt time as Date (RFC
   * 9110 6.6.1) and one without Age drops the stored Age, which described the earlier response.
   * Whether the result may still be shared is {@link NotModified#of}'s question.
   */
  public static Optional<StoredHead> freshen(
      StoredHead old, HttpHeaders headersOf304, long requestTime, long responseTime) {
    if (!selects(headersOf304, old.headers(), responseTime)) {
      return Optional.empty();
    }
    HttpHeaders update = new DefaultHttpHeaders().add(headersOf304);
    HopByHop.strip(update);
    for (CharSequence name : KEPT_FROM_STORED) {
      update.remove(name);
    }
    for (CharSequence name : REQUESTER_ONLY) {
      update.remove(name);
    }
    HttpHeaders merged = new DefaultHttpHeaders().add(old.headers());
    for (String name : update.names()) {
      merged.set(name, update.getAll(name));
    }
    if (!update.contains(HttpHeaderNames.DATE)) {
      merged.set(HttpHeaderNames.DATE, HttpDates.format(responseTime));
    }
    if (!update.contains(HttpHeaderNames.AGE)) {
      merged.remove(HttpHeaderNames.AGE);
    }
    return Optional.of(
        new StoredHead(old.url(), old.variant(), old.status(), merged, requestTime, responseTime));
  }

  /**
   * The fields of a 304 sent to a client from {@code stored} (RFC 9110 15.4.5): Cache-Control,
   * Content-Location, Date, ETag, Expires and Vary as stored, and Last-Modified when there is no
   * ETag. The caller adds Age.
   */
  public static HttpHeaders notModifiedHeaders(StoredHead stored) {
    HttpHeaders out = new DefaultHttpHeaders();
    for (CharSequence name : NOT_MODIFIED_FIELDS) {
      List<String> values = stored.headers().getAll(name);
      if (!values.isEmpty()) {
        out.set(name, values);
      }
    }
    if (!out.contains(HttpHeaderNames.ETAG)) {
      String lastModified = stored.headers().get(HttpHeaderNames.LAST_MODIFIED);
      if (lastModified != null) {
        out.set(HttpHeaderNames.LAST_MODIFIED, lastModified);
      }
    }
    return out;
  }

  private static boolean selects(HttpHeaders notModified, HttpHeaders stored, long now) {
    EntityTag tag = EntityTag.parse(notModified.get(HttpHeaderNames.ETAG));
    if (tag != null) {
      EntityTag storedTag = EntityTag.parse(stored.get(HttpHeaderNames.ETAG));
      if (storedTag == null) {
        return false;
      }
      return tag.weak() ? tag.weakMatch(storedTag) : tag.strongMatch(storedTag);
    }
    String lastModified = notModified.get(HttpHeaderNames.LAST_MODIFIED);
    if (lastModified != null) {
      Long at = HttpDates.parse(lastModified, now);
      return at != null
          && at.equals(HttpDates.parse(stored.get(HttpHeaderNames.LAST_MODIFIED), now));
    }
    return true;
  }
}
