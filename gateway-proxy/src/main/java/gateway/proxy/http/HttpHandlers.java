package gateway.proxy.http;

import gateway.proxy.ProxyContext;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * The HTTP part of a client connection's pipeline, in the order bytes travel: the request-head
 * timer, the HTTP codec (with the request-size limits and RFC 9112 framing rules) and the client
 * handler. The same on the proxy port ({@code server.ClientInitializer}) and on an intercepted
 * connection ({@link InterceptedHttp}).
 */
public final class HttpHandlers {
  private HttpHandlers() {}

  /**
   * The handlers, to add in this order after the connection's read gate and idle timeout.
   *
   * @param overLimit the per-client connection limit this connection exceeds (its requests get
   *     429), or 0 when it is within it
   * @param interceptedTo the address an intercepted connection was made to, or null on the proxy
   *     port
   */
  public static ChannelHandler[] of(
      ProxyContext proxy, int overLimit, InetSocketAddress interceptedTo) {
    var limits = proxy.config().limits();
    RequestHeadTimer headTimer =
        new RequestHeadTimer(proxy.config().timeouts().requestHeader().toMillis());
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.requestLine())
            .setMaxHeaderSize(limits.headerBlock())
            .setMaxChunkSize(64 * 1024)
            // Content-Length together with Transfer-Encoding is a smuggling shape: reject, never
            // guess.
            .setUseRfc9112TransferEncoding(true)
            .setStrictLineParsing(true);
    return new ChannelHandler[] {
      headTimer,
      // No depth limit in the codec: past its own it resets the connection with no answer at all.
      // PipelinedRequests bounds the requests a client can have waiting, and answers those taken.
      new HttpServerCodec(decoder, Integer.MAX_VALUE),
      new ClientHandler(proxy, headTimer, overLimit, interceptedTo)
    };
  }
}
