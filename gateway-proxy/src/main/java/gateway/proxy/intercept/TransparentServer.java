package gateway.proxy.intercept;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.Transport;
import gateway.proxy.server.ClientConnections;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transparent listener: the socket the firewall's TPROXY rule hands the LAN's new TCP
 * connections to, and those connections. The listener has {@code IP_TRANSPARENT}, so an accepted
 * socket's local address is where the client was going (Netty reads it with getsockname when it
 * accepts) and its remote address is the real client. Linux epoll only.
 *
 * <p>It binds the wildcard address on its port: tproxy's {@code to :PORT} looks the socket up on
 * the address of the interface the packet came in on. {@link #drain} stops accepting, lets the
 * tunnels in flight finish up to a deadline, and then closes what is left.
 */
public final class TransparentServer {
  private static final Logger log = LoggerFactory.getLogger(TransparentServer.class);

  /** A connection holds at most this much unsent data before its peer stops being read. */
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(64 * 1024, 256 * 1024);

  /** Where an accepted connection was going. */
  @FunctionalInterface
  public interface OriginalDestination {
    InetSocketAddress of(Channel accepted);

    /** With TPROXY: the accepted socket's own local address. */
    OriginalDestination LOCAL_ADDRESS = ch -> (InetSocketAddress) ch.localAddress();
  }

  private final ProxyContext proxy;
  private final Transport transport;
  private final EventLoopGroup group;
  private final ClientConnections perClient;
  private final InterceptSettings settings;
  private final OriginalDestination destinations;
  private final boolean transparent;
  private final ChannelGroup clients =
      new DefaultChannelGroup("intercepted", GlobalEventExecutor.INSTANCE);
  private Channel listener;

  /**
   * @param perClient the per-client connection counts, the proxy's ({@code
   *     ProxyServer.clientConnections()}): a client's limit holds over both listeners together
   */
  public TransparentServer(
      ProxyContext proxy,
      Transport transport,
      EventLoopGroup group,
      ClientConnections perClient,
      InterceptSettings settings) {
    this(proxy, transport, group, perClient, settings, OriginalDestination.LOCAL_ADDRESS, true);
  }

  private TransparentServer(
      ProxyContext proxy,
      Transport transport,
      EventLoopGroup group,
      ClientConnections perClient,
      InterceptSettings settings,
      OriginalDestination destinations,
      boolean transparent) {
    this.proxy = proxy;
    this.transport = transport;
    this.group = group;
    this.perClient = perClient;
    this.settings = settings;
    this.destinations = destinations;
    this.transparent = transparent;
  }

  /**
   * For tests on loopback, which need no root: a listener without {@code IP_TRANSPARENT}, whose
   * connections are taken to have been going to {@code destinations.of(accepted)}. Never for the
   * gateway itself.
   */
  public static TransparentServer withoutTproxy(
      ProxyContext proxy,
      Transport transport,
      EventLoopGroup group,
      ClientConnections perClient,
      InterceptSettings settings,
      OriginalDestination destinations) {
    return new TransparentServer(proxy, transport, group, perClient, settings, destinations, false);
  }

  /**
   * Binds the wildcard address on {@code port} (0: any free port, for tests) and returns the bound
   * address. Throws {@link IllegalStateException} saying what to do when the transport is not epoll
   * or the socket cannot be made transparent, and Netty's exception when the port is taken.
   */
  public InetSocketAddress start(int port) throws InterruptedException {
    if (!transport.isEpoll()) {
      throw new IllegalStateException(
          "transparent interception needs Linux epoll (Netty's native transport), but the"
              + " gateway runs on "
              + transport.name()
              + ": run it on Linux x86_64 with the native library, or set"
              + " transparent.enabled = false");
    }
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
            .childHandler(
                new InterceptInitializer(proxy, clients, perClient, settings, destinations));
    if (transparent) {
      b.option(EpollChannelOption.IP_TRANSPARENT, true);
    }
    Channel bound = b.bind(new InetSocketAddress(port)).sync().channel();
    // Netty only logs a warning when the option cannot be set (EPERM): read it back.
    if (transparent
        && !Boolean.TRUE.equals(bound.config().getOption(EpollChannelOption.IP_TRANSPARENT))) {
      bound.close().sync();
      throw new IllegalStateException(
          "the transparent listener on port "
              + port
              + " cannot be made transparent (IP_TRANSPARENT was refused): the gateway needs the"
              + " capability CAP_NET_ADMIN; run it as root or give its unit"
              + " AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW");
    }
    listener = bound;
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    proxy.loopGuard().addListener(address);
    log.info(
        "transparent listener on {}{}",
        address,
        transparent ? "" : " (without IP_TRANSPARENT: a test)");
    return address;
  }

  public int openConnections() {
    return clients.size();
  }

  /**
   * Stops accepting, waits until the open connections finished (or the deadline passed), then
   * closes what remains. Returns the number of connections closed by force.
   */
  public int drain(Duration deadline) throws InterruptedException {
    if (listener != null) {
      listener.close().sync();
    }
    Ticker ticker = group.ticker();
    long until = ticker.nanoTime() + deadline.toNanos();
    while (!clients.isEmpty() && ticker.nanoTime() < until) {
      ticker.sleepMillis(20);
    }
    int forced = clients.size();
    if (forced > 0) {
      log.warn(
          "drain deadline {} s passed: closing {} intercepted connections still open",
          deadline.toSeconds(),
          forced);
      clients.close().awaitUninterruptibly(5_000);
    }
    return forced;
  }
}
