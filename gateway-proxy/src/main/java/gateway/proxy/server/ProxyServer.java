package gateway.proxy.server;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.Transport;
import gateway.proxy.http.DrainEvent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Ticker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listening socket and its client connections. {@link #drain} stops accepting, lets
 * requests and tunnels in flight finish up to a deadline, and then closes what is left.
 */
public final class ProxyServer {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  /** A connection holds at most this much unsent data before its peer stops being read. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

  private final ProxyContext proxy;
  private final EventLoopGroup group;
  private final Transport transport;
  private final ChannelGroup clients =
      new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
  private final ClientConnections perClient;
  private Channel listener;

  public ProxyServer(ProxyContext proxy, Transport transport, EventLoopGroup group) {
    this(proxy, transport, group, new ClientConnections());
  }

  /**
   * A proxy whose per-client connection counts are {@code perClient}, shared with the transparent
   * listener: a client's limit holds over its proxied and intercepted connections together.
   */
  public ProxyServer(
      ProxyContext proxy, Transport transport, EventLoopGroup group, ClientConnections perClient) {
    this.proxy = proxy;
    this.transport = transport;
    this.group = group;
    this.perClient = perClient;
  }

  /** Binds the listening socket; throws if the address is taken or not ours. */
  public InetSocketAddress start(InetSocketAddress address) throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(new ClientInitializer(proxy, clients, perClient));
    listener = b.bind(address).sync().channel();
    InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
    proxy.loopGuard().addListener(bound);
    log.info("proxy listening on {} ({})", bound, transport.name());
    return bound;
  }

  public int openConnections() {
    return clients.size();
  }

  /** Open client connections per client address (empty before {@link #start}). */
  public Map<InetAddress, Integer> connectionsByClient() {
    return perClient.snapshot();
  }

  /** The per-client connection counts this server holds its clients to. */
  public ClientConnections clientConnections() {
    return perClient;
  }

  /**
   * Stops accepting, closes idle keep-alive connections, waits until the rest finished (or the
   * deadline passed), then closes what remains. Returns the number of connections closed by force.
   */
  public int drain(Duration deadline) throws InterruptedException {
    proxy.draining().set(true);
    if (listener != null) {
      listener.close().sync();
    }
    clients.forEach(c -> c.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
    Ticker ticker = group.ticker();
    long until = ticker.nanoTime() + deadline.toNanos();
    while (!clients.isEmpty() && ticker.nanoTime() < until) {
      ticker.sleepMillis(20);
    }
    int forced = clients.size();
    if (forced > 0) {
      log.warn(
          "drain deadline {} s passed: closing {} connections still open",
          deadline.toSeconds(),
          forced);
      clients.close().awaitUninterruptibly(5_000);
    }
    return forced;
  }
}
