package gateway.proxy.server;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.http.HttpHandlers;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Assembles a client connection's pipeline, in the order bytes travel: the read gate (the client's
 * upload limit), idle timeout, the request-head timer, the HTTP codec (with the request-size limits
 * and RFC 9112 framing rules), and the handler that forwards requests. The connection takes its
 * limits (connections, bandwidth) from the policy in force when it opens. The HTTP part is {@link
 * HttpHandlers}, shared with intercepted connections.
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
    ch.pipeline()
        .addLast(gate, new IdleTimeout(proxy.config().timeouts().idle().toMillis()))
        .addLast(HttpHandlers.of(proxy, withinLimit ? 0 : limit, null));
    gate.use(share.upload(ch.eventLoop()));
  }
}
