package gateway.proxy.message;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Rewrites a response head from an origin for the client (RFC 9110 7.6, RFC 9112 6): hop-by-hop
 * fields out, our {@code Via} in, and framing the client can parse. Returns whether the client
 * connection can stay open after this response.
 */
public final class ResponseHeads {
  private ResponseHeads() {}

  public static boolean rewrite(
      HttpResponse r, HttpMethod method, boolean http10Client, boolean wantKeepAlive, String via) {
    HttpHeaders h = r.headers();
    boolean chunked = HttpUtil.isTransferEncodingChunked(r);
    HopByHop.strip(h);
    h.add(HttpHeaderNames.VIA, via(r.protocolVersion(), via));
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    boolean keepAlive = wantKeepAlive;
    if (!hasNoBody(r, method) && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      // Chunked or delimited by the origin closing: HTTP/1.1 clients get chunked; HTTP/1.0 clients
      // know
      // only "read until close".
      if (http10Client) {
        keepAlive = false;
      } else {
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    } else if (chunked && hasNoBody(r, method)) {
      // A HEAD response keeps no framing field the client would try to follow.
      h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10Client) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return keepAlive;
  }

  /** For an interim (1xx) response relayed to an HTTP/1.1 client. */
  public static void rewriteInterim(HttpResponse r, String via) {
    HopByHop.strip(r.headers());
    r.headers().add(HttpHeaderNames.VIA, via(r.protocolVersion(), via));
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  public static String via(HttpVersion received, String pseudonym) {
    return received.majorVersion() + "." + received.minorVersion() + " " + pseudonym;
  }

  public static boolean hasNoBody(HttpResponse r, HttpMethod method) {
    int code = r.status().code();
    return method.equals(HttpMethod.HEAD)
        || code == 204
        || code == 304
        || (code >= 100 && code < 200);
  }

  /** An estimate of the head's size on the wire, for the access log's byte count. */
  public static long size(HttpResponse r) {
    long n = 17 + r.status().reasonPhrase().length();
    for (Map.Entry<String, String> e : r.headers()) {
      n += e.getKey().length() + e.getValue().length() + 4;
    }
    return n + 2;
  }
}
