package gateway.proxy.intercept;

import gateway.core.metrics.Refusal;
import gateway.core.metrics.RuleCounters;
import gateway.proxy.ProxyContext;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import gateway.proxy.server.ClientConnections;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Assembles an intercepted connection's pipeline, in the order bytes travel: the read gate (the
 * client's upload limit), the idle timeout and the handler that reads the first bytes. Before any
 * byte is read, three refusals, each reset and logged {@code TCP_DENIED} (see {@link
 * InterceptLog}): a client not in {@code clients.allow}; a destination that is the gateway itself
 * (one of its listeners, this one included: a connection made to the box directly is accepted like
 * an intercepted one, and carrying it on would loop); a client over its connection limit, counted
 * over its proxied and intercepted connections together. The connection takes its limits from the
 * policy in force when it opens.
 */
final class InterceptInitializer extends ChannelInitializer<Channel> {
  private final ProxyContext proxy;
  private final ChannelGroup open;
  private final ClientConnections perClient;
  private final InterceptSettings settings;
  private final TransparentServer.OriginalDestination destinations;

  InterceptInitializer(
      ProxyContext proxy,
      ChannelGroup open,
      ClientConnections perClient,
      InterceptSettings settings,
      TransparentServer.OriginalDestination destinations) {
    this.proxy = proxy;
    this.open = open;
    this.perClient = perClient;
    this.settings = settings;
    this.destinations = destinations;
  }

  @Override
  protected void initChannel(Channel ch) {
    long start = proxy.clock().getAsLong();
    open.add(ch);
    InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    int opened = perClient.opened(client);
    ch.closeFuture().addListener(f -> perClient.closed(client));
    InetSocketAddress destination = destinations.of(ch);
    String url = InterceptLog.url(destination.getAddress().getHostAddress(), destination.getPort());
    if (!proxy.clients().allows(client)) {
      InterceptLog.denied(proxy, ch, start, url, 403, Refusal.CLIENT_NOT_ALLOWED, null);
      return;
    }
    if (proxy.loopGuard().isSelf(destination.getAddress(), destination.getPort())) {
      InterceptLog.denied(proxy, ch, start, url, 403, Refusal.FORWARDING_LOOP, null);
      return;
    }
    int limit = proxy.policies().connectionLimit(client);
    if (limit > 0 && opened > limit) {
      proxy.policies().counters().denied(RuleCounters.CLIENT_CONNECTIONS);
      InterceptLog.denied(
          proxy, ch, start, url, 429, Refusal.CLIENT_CONNECTIONS, RuleCounters.CLIENT_CONNECTIONS);
      return;
    }
    Bandwidth.Share share = proxy.policies().bandwidth().open(client);
    share.attach(ch);
    ReadGate gate = new ReadGate();
    ch.pipeline()
        .addLast(
            gate,
            new IdleTimeout(proxy.config().timeouts().idle().toMillis()),
            new FirstBytesHandler(proxy, settings, destination, start));
    gate.use(share.upload(ch.eventLoop()));
  }
}
