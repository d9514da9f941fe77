package gateway.proxy.answer;

import gateway.proxy.ProxyContext;
import gateway.proxy.pac.ProxyPac;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The PAC file on the proxy port: {@code GET /proxy.pac} or {@code GET /wpad.dat} in origin-form (a
 * browser fetching its auto-config from {@code http://gateway:3128/proxy.pac}) is answered by the
 * gateway itself instead of being rejected as a request without an absolute URL. The file points at
 * the address the client reached. Everything else is left to the forwarding path.
 */
public final class PacRequest {
  private PacRequest() {}

  /** Whether {@code req} asks for the PAC file (origin-form GET or HEAD of its path). */
  public static boolean matches(HttpRequest req) {
    if (!req.decoderResult().isSuccess()
        || !(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
      return false;
    }
    String uri = req.uri();
    if (!uri.startsWith("/")) {
      return false;
    }
    int query = uri.indexOf('?');
    return ProxyPac.isPacPath(query < 0 ? uri : uri.substring(0, query));
  }

  /** The PAC file for a client that reached the proxy at {@code local}. */
  public static FullHttpResponse response(
      HttpRequest req, ProxyContext proxy, InetSocketAddress local, ByteBufAllocator alloc) {
    String script =
        ProxyPac.script(local, proxy.clients().allowed(), proxy.config().pac().directFallback());
    byte[] body = script.getBytes(StandardCharsets.US_ASCII);
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            req.protocolVersion(),
            HttpResponseStatus.OK,
            req.method().equals(HttpMethod.HEAD)
                ? alloc.buffer(0)
                : ByteBufUtil.writeAscii(alloc, script));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, ProxyPac.CONTENT_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=300");
    return r;
  }
}
