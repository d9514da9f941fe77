package gateway.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Rewrites a proxy request head for the origin: origin-form target, HTTP/1.1, hop-by-hop fields out
 * (RFC 9110 7.6.1), Host from the target (RFC 9112 3.2.2: the absolute URI wins over a disagreeing
 * Host), our {@code Via} added (RFC 9110 7.6.3), and the body framed for this hop.
 */
final class RequestHeads {
  private RequestHeads() {}

  static void rewrite(HttpRequest req, RequestTarget target, String viaPseudonym) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(req);
    HttpVersion received = req.protocolVersion();
    HttpHeaders h = req.headers();
    HopByHop.strip(h);
    if (chunked) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    h.set(HttpHeaderNames.HOST, target.hostHeader(80));
    h.add(HttpHeaderNames.VIA, ResponseHeads.via(received, viaPseudonym));
    req.setUri(target.path());
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
  }
}
