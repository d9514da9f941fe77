package gateway.proxy.server;

import gateway.proxy.ProxyContext;
import gateway.proxy.http.ForwardHandler;
import gateway.proxy.http.RequestHeadTimer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Assembles a client connection's pipeline, in the order bytes travel: idle timeout, the request-head
 * timer, the HTTP codec (with the request-size limits and RFC 9112 framing rules), and the handler that
 * forwards requests.
 */
final class ClientInitializer extends ChannelInitializer<Channel> {
  private final ProxyContext proxy;
  private final ChannelGroup open;
  private final ClientConnections perClient;

  ClientInitializer(ProxyContext proxy, ChannelGroup open, ClientConnections perClient) {
    this.proxy = proxy;
    this.open = open;
    this.perClient = perClient;
  }

  @Override
  protected void initChannel(Channel ch) {
    open.add(ch);
    InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    boolean withinLimit = perClient.opened(client);
    ch.closeFuture().addListener(f -> perClient.closed(client));
    var limits = proxy.config().limits();
    var timeouts = proxy.config().timeouts();
    RequestHeadTimer headTimer = new RequestHeadTimer(timeouts.requestHeader().toMillis());
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.requestLine())
        .setMaxHeaderSize(limits.headerBlock())
        .setMaxChunkSize(64 * 1024)
        // Content-Length together with Transfer-Encoding is a smuggling shape: reject, never guess.
        .setUseRfc9112TransferEncoding(true)
        .setStrictLineParsing(true);
    ch.pipeline().addLast(
        new IdleTimeout(timeouts.idle().toMillis()),
        headTimer,
        new HttpServerCodec(decoder),
        new ForwardHandler(proxy, headTimer, withinLimit ? 0 : perClient.limit()));
  }
}
