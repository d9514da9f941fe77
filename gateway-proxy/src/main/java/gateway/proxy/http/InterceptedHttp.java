package gateway.proxy.http;

import gateway.proxy.ProxyContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;

/**
 * Takes an intercepted connection (transparent mode) whose first bytes are an HTTP/1.x request line
 * over onto the request path the proxy port uses: the same handlers ({@link HttpHandlers}), in a
 * mode that knows the address the client connected to. Admission then wants an origin-form target
 * with a {@code Host}; every request goes to that address only; the cache serves and stores under
 * {@code http://Host/path} only when the {@code Host} is that address or a name that resolves to it
 * ({@code admission.InterceptedRequest}).
 */
public final class InterceptedHttp {
  private InterceptedHttp() {}

  /**
   * Replaces the handler of {@code ctx} (the one that read the first bytes, the last of the
   * pipeline; the connection's {@code channelActive} has reached it and gone no further) with the
   * HTTP handlers, tells them the connection is active, and hands them {@code firstBytes} as if
   * just read. Call on the channel's event loop. The caller has put the connection's read gate
   * (with its upload limit), its bandwidth share and idle timeout on the channel already, AUTO_READ
   * off, and refused or counted the connection against the per-client limit.
   *
   * @param firstBytes what was read so far, not yet consumed; released here on every path
   * @param originalDestination the address the client connected to (the accepted socket's local
   *     address under TPROXY)
   * @param overLimit the per-client connection limit this connection exceeds (its requests get
   *     429), or 0 when it is within it
   */
  public static void takeOver(
      ChannelHandlerContext ctx,
      ByteBuf firstBytes,
      InetSocketAddress originalDestination,
      ProxyContext proxy,
      int overLimit) {
    if (!ctx.channel().isActive()) {
      firstBytes.release();
      return;
    }
    ChannelPipeline p = ctx.pipeline();
    String after = ctx.name();
    for (ChannelHandler h : HttpHandlers.of(proxy, overLimit, originalDestination)) {
      p.addAfter(after, null, h);
      after = p.context(h).name();
    }
    // Fired from the old handler's place, so the request-head timer sees the first bytes too.
    ctx.fireChannelActive();
    ctx.fireChannelRead(firstBytes);
    ctx.fireChannelReadComplete();
    p.remove(ctx.handler());
  }
}
