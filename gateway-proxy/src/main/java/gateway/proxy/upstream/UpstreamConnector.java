package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import gateway.proxy.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens upstream TCP connections on the client's event loop (so the pair shares one thread and needs no
 * locks), bound to the chosen uplink's source address.
 *
 * <p>Reads start off: the handler that owns the connection pulls data when the client can take it.
 */
public final class UpstreamConnector {
  private final Transport transport;
  private final int connectTimeoutMillis;

  public UpstreamConnector(Transport transport, Duration connectTimeout) {
    this.transport = transport;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
  }

  /**
   * Connects to {@code origin} from {@code uplink} (null: unbound, the main routing table decides).
   * {@code handler} is installed before the connect completes.
   */
  public ChannelFuture connect(
      EventLoop loop, InetSocketAddress origin, Uplink uplink, ChannelHandler handler) {
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(handler);
    if (uplink == null) {
      return b.connect(origin);
    }
    if (transport.isEpoll()) {
      // Many sockets bound to one source address would otherwise each reserve an ephemeral port at
      // bind() time and run the port range dry long before the 4-tuple space.
      b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
    return b.connect(origin, new InetSocketAddress(uplink.address(), 0));
  }
}
