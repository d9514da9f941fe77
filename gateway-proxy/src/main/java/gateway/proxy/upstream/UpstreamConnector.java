package gateway.proxy.upstream;

import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DeviceBinding;
import gateway.proxy.channel.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opens upstream TCP connections on the client's event loop (so the pair shares one thread and
 * needs no locks), bound to the chosen uplink: its source address always, its interface when one is
 * configured.
 *
 * <p>Reads start off: the handler that owns the connection pulls data when the client can take it.
 */
public final class UpstreamConnector {
  private final Transport transport;

  /** {@code timeouts.connect}; a reload may change it for the connects that follow. */
  private volatile int connectTimeoutMillis;

  private final UplinkCounters counters;
  private final UplinkFeedback feedback;

  /** Open upstream connections by uplink, so that a dead uplink's can be closed at once. */
  private final Map<String, ChannelGroup> open = new ConcurrentHashMap<>();

  private static final AttributeKey<Boolean> RETIRED =
      AttributeKey.valueOf("gateway.retiredUplink");

  public UpstreamConnector(
      Transport transport,
      Duration connectTimeout,
      UplinkCounters counters,
      UplinkFeedback feedback) {
    this.transport = transport;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.counters = counters;
    this.feedback = feedback;
  }

  /**
   * Connects to the route's origin through its uplinks, racing the next uplink when the first
   * stalls (see {@link ConnectRace}); unbound when the route has no uplinks. {@code handlers} gives
   * the handler to install on a connection through an uplink (null: unbound) before it connects.
   */
  public Future<Connection> connect(
      EventLoop loop, Route route, Function<Uplink, ChannelHandler> handlers) {
    if (route.uplinks().isEmpty()) {
      Promise<Connection> p = loop.newPromise();
      ChannelFuture f = attempt(loop, route.origin(), null, handlers.apply(null));
      f.addListener(
          c -> {
            if (c.isSuccess()) {
              p.setSuccess(new Connection(f.channel(), null, route.uplinkName()));
            } else {
              p.setFailure(c.cause());
            }
          });
      return p;
    }
    return new ConnectRace(this, loop, route, handlers, feedback).start();
  }

  /** Applies a reloaded {@code timeouts.connect} to the connects that start from now on. */
  public void connectTimeout(Duration timeout) {
    connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  /**
   * Retires the open connections through {@code uplink}: a reload removed it, or changed its
   * address or interface. Connections in use go on to their natural end (a connection keeps its
   * uplink for its whole life); none is handed out again by an origin pool (see {@link
   * #isRetired}); and they no longer count as the uplink's, so {@link #closeUplink} on a new uplink
   * of that name leaves them be. Returns how many there were.
   */
  public int retireUplink(String uplink) {
    ChannelGroup g = open.remove(uplink);
    if (g == null) {
      return 0;
    }
    g.forEach(ch -> ch.attr(RETIRED).set(Boolean.TRUE));
    return g.size();
  }

  /** Whether {@code channel} went through an uplink a reload removed or changed: never reuse it. */
  public static boolean isRetired(Channel channel) {
    return channel.hasAttr(RETIRED) && Boolean.TRUE.equals(channel.attr(RETIRED).get());
  }

  /**
   * Closes every open upstream connection through {@code uplink}, pooled or in use: called when the
   * uplink is found dead. Requests waiting on them that can be repeated are retried through another
   * uplink; tunnels and half-sent responses end now instead of hanging until TCP gives up.
   */
  public int closeUplink(String uplink) {
    ChannelGroup g = open.get(uplink);
    if (g == null) {
      return 0;
    }
    int n = g.size();
    g.close();
    return n;
  }

  /** Open upstream connections (in use or pooled) per uplink name, for the status page. */
  public Map<String, Integer> openByUplink() {
    Map<String, Integer> out = new TreeMap<>();
    open.forEach((name, g) -> out.put(name, g.size()));
    return out;
  }

  /**
   * One connect to {@code origin} from {@code uplink} (null: unbound, the main routing table
   * decides). {@code handler} is installed before the connect completes.
   */
  ChannelFuture attempt(
      EventLoop loop, InetSocketAddress origin, Uplink uplink, ChannelHandler handler) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(handler);
    if (uplink != null && transport.isEpoll()) {
      // Many sockets bound to one source address would otherwise each reserve an ephemeral port at
      // bind() time and run the port range dry long before the 4-tuple space.
      b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
    UplinkCounters.Counters traffic = counters.of(uplink == null ? Route.UNBOUND : uplink.name());
    ChannelFuture registered = b.register();
    Channel ch = registered.channel();
    ChannelPromise connected = ch.newPromise();
    registered.addListener(
        (ChannelFutureListener)
            r -> {
              if (!r.isSuccess()) {
                connected.setFailure(r.cause());
                return;
              }
              ch.pipeline().addFirst("uplink-traffic", new UplinkTraffic(traffic));
              if (uplink != null && uplink.interfaceName().isPresent()) {
                try {
                  DeviceBinding.apply(ch, uplink.interfaceName().get());
                } catch (ChannelException e) {
                  // Never fall back to the main routing table: that would silently use another
                  // uplink.
                  ch.close();
                  connected.setFailure(e);
                  return;
                }
              }
              if (uplink == null) {
                ch.connect(origin, connected);
              } else {
                ch.connect(origin, new InetSocketAddress(uplink.address(), 0), connected);
              }
            });
    connected.addListener(
        f -> {
          if (f.isSuccess()) {
            traffic.connected();
            if (uplink != null) {
              open.computeIfAbsent(
                      uplink.name(), n -> new DefaultChannelGroup(n, GlobalEventExecutor.INSTANCE))
                  .add(ch);
            }
          } else {
            traffic.connectFailed();
          }
        });
    return connected;
  }
}
