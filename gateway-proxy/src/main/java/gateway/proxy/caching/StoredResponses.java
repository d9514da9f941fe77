package gateway.proxy.caching;

import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.message.ResponseHeads;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Response heads the gateway makes from a stored response: the whole of it, a 304 for a client
 * whose copy is still good, a part of it (206) or an unsatisfiable range (416). Each carries the
 * stored response's age (RFC 9111 5.1) and framing of its own; the caller adds {@code Via} and
 * connection handling with {@link ResponseHeads#rewrite}.
 */
final class StoredResponses {
  /**
   * What a 304 carries from the response it stands for (RFC 9110 15.4.5), and the cookies an
   * origin's 304 set for the client it answered: a stored response never has any.
   */
  private static final List<CharSequence> NOT_MODIFIED_FIELDS =
      List.of(
          HttpHeaderNames.CACHE_CONTROL,
          HttpHeaderNames.CONTENT_LOCATION,
          HttpHeaderNames.DATE,
          HttpHeaderNames.ETAG,
          HttpHeaderNames.EXPIRES,
          HttpHeaderNames.VARY,
          HttpHeaderNames.LAST_MODIFIED,
          HttpHeaderNames.SET_COOKIE,
          "set-cookie2");

  private StoredResponses() {}

  /** The whole stored response, {@code length} bytes of body. */
  static HttpResponse whole(StoredHead stored, long length, long ageSeconds) {
    HttpResponse r = response(stored.status(), stored.headers().copy(), ageSeconds);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    return r;
  }

  /**
   * A response being stored while it streams in, for a client collapsed onto that download: framed
   * like the origin's (its Content-Length when it sent one; otherwise chunked).
   */
  static HttpResponse streaming(StoredHead stored) {
    return response(stored.status(), stored.headers().copy(), 0);
  }

  static HttpResponse notModified(StoredHead stored, long ageSeconds) {
    HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (CharSequence name : NOT_MODIFIED_FIELDS) {
      List<String> values = stored.headers().getAll(name);
      if (!values.isEmpty()) {
        h.set(name, values);
      }
    }
    return response(304, h, ageSeconds);
  }

  /** Bytes {@code first} to {@code last} (inclusive) of a stored body of {@code length} bytes. */
  static HttpResponse partial(
      StoredHead stored, long first, long last, long length, long ageSeconds) {
    HttpResponse r = response(206, stored.headers().copy(), ageSeconds);
    r.headers()
        .set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length)
        .set(HttpHeaderNames.CONTENT_LENGTH, last - first + 1);
    return r;
  }

  /** RFC 9110 15.5.17: no part of the range is in a body of {@code length} bytes. */
  static HttpResponse unsatisfiable(StoredHead stored, long length) {
    HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length)
        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
    copy(stored.headers(), h, HttpHeaderNames.DATE);
    copy(stored.headers(), h, HttpHeaderNames.ETAG);
    return response(416, h, -1);
  }

  private static void copy(HttpHeaders from, HttpHeaders to, CharSequence name) {
    String v = from.get(name);
    if (v != null) {
      to.set(name, v);
    }
  }

  private static HttpResponse response(int status, HttpHeaders headers, long ageSeconds) {
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (ageSeconds >= 0) {
      headers.set(HttpHeaderNames.AGE, ageSeconds);
    }
    return new DefaultHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
  }
}
