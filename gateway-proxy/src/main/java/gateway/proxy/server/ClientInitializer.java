package gateway.proxy.server;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.http.ClientHandler;
import gateway.proxy.http.RequestHeadTimer;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Assembles a client connection's pipeline, in the order bytes travel: the read gate (the client's
 * upload limit), idle timeout, the request-head timer, the HTTP codec (with the request-size limits
 * and RFC 9112 framing rules), and the handler that forwards requests. The connection takes its
 * limits (connections, bandwidth) from the policy in force when it opens.
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
    int open = perClient.opened(client);
    ch.closeFuture().addListener(f -> perClient.closed(client));
    int limit = proxy.policies().connectionLimit(client);
    boolean withinLimit = limit == 0 || open <= limit;
    Bandwidth.Share share = proxy.policies().bandwidth().open(client);
    share.attach(ch);
    ReadGate gate = new ReadGate();
    var limits = proxy.config().limits();
    var timeouts = proxy.config().timeouts();
    RequestHeadTimer headTimer = new RequestHeadTimer(timeouts.requestHeader().toMillis());
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.requestLine())
            .setMaxHeaderSize(limits.headerBlock())
            .setMaxChunkSize(64 * 1024)
            // Content-Length together with Transfer-Encoding is a smuggling shape: reject, never
            // guess.
            .setUseRfc9112TransferEncoding(true)
            .setStrictLineParsing(true);
    ch.pipeline()
        .addLast(
            gate,
            new IdleTimeout(timeouts.idle().toMillis()),
            headTimer,
            // No depth limit in the codec: past its own it resets the connection with no answer at
            // all.
            // PipelinedRequests bounds the requests a client can have waiting, and answers those
            // taken.
            new HttpServerCodec(decoder, Integer.MAX_VALUE),
            new ClientHandler(proxy, headTimer, withinLimit ? 0 : limit));
    gate.use(share.upload(ch.eventLoop()));
  }
}
