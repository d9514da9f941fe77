package gateway.proxy.message;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Rewrites a proxy request head for the origin: origin-form target, HTTP/1.1, hop-by-hop fields out
 * (RFC 9110 7.6.1), Host from the target (RFC 9112 3.2.2: the absolute URI wins over a disagreeing
 * Host), our {@code Via} added (RFC 9110 7.6.3), and the body framed for this hop as it was framed
 * for the last: chunked, or the same Content-Length.
 */
public final class RequestHeads {
  private RequestHeads() {}

  public static void rewrite(HttpRequest req, RequestTarget target, String viaPseudonym) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(req);
    long length = chunked ? -1 : HttpUtil.getContentLength(req, -1L);
    HttpVersion received = req.protocolVersion();
    HttpHeaders h = req.headers();
    HopByHop.strip(h);
    if (chunked) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (length >= 0) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    h.set(HttpHeaderNames.HOST, target.hostHeader(80));
    h.add(HttpHeaderNames.VIA, ResponseHeads.via(received, viaPseudonym));
    req.setUri(target.path());
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    requireFraming(req, chunked, length);
  }

  /**
   * A body that leaves without its framing on a kept-alive connection is read by the origin as the
   * next request, one no access rule saw, whose answer goes to whoever asks next: no rewrite may
   * ever get there, so a request that would is never sent.
   */
  private static void requireFraming(HttpRequest req, boolean chunked, long length) {
    boolean stillChunked = HttpUtil.isTransferEncodingChunked(req);
    long stillLength = HttpUtil.getContentLength(req, -1L);
    if (stillChunked != chunked
        || (!chunked && stillLength != length)
        || (chunked && stillLength != -1)) {
      throw new IllegalStateException(
          "the rewrite changed the request's framing: chunked "
              + chunked
              + " -> "
              + stillChunked
              + ", Content-Length "
              + length
              + " -> "
              + stillLength);
    }
  }
}
