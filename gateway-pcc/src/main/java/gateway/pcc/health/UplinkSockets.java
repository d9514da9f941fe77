package gateway.pcc.health;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DeviceBinding;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens probe sockets bound to an uplink, as the proxy's upstream connector does for client
 * traffic: register, bind to the interface (when the uplink has one), then connect from the
 * uplink's address. The socket type follows the event loop's transport (epoll or NIO).
 */
final class UplinkSockets {
  private UplinkSockets() {}

  static boolean isEpoll(EventLoop loop) {
    return Epoll.isAvailable()
        && loop instanceof IoEventLoop io
        && io.isIoType(EpollIoHandler.class);
  }

  /** Connects a TCP socket from {@code uplink} to {@code remote}; failures end {@code attempt}. */
  static void connect(
      Attempt attempt,
      Uplink uplink,
      InetSocketAddress remote,
      int timeoutMillis,
      ChannelHandler handler,
      Runnable connected) {
    EventLoop loop = attempt.loop();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(isEpoll(loop) ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(handler);
    open(
        attempt,
        uplink,
        b,
        ch -> {
          attempt.startClock();
          ch.connect(remote, new InetSocketAddress(uplink.address(), 0))
              .addListener(
                  (ChannelFutureListener)
                      f -> {
                        if (f.isSuccess()) {
                          connected.run();
                        } else {
                          attempt.fail(f.cause());
                        }
                      });
        });
  }

  /**
   * A UDP socket from {@code uplink}, connected to {@code remote} (so ICMP errors are reported).
   */
  static void datagram(
      Attempt attempt,
      Uplink uplink,
      InetSocketAddress remote,
      ChannelHandler handler,
      Consumer<Channel> connected) {
    EventLoop loop = attempt.loop();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(isEpoll(loop) ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .handler(handler);
    open(
        attempt,
        uplink,
        b,
        ch ->
            ch.connect(remote, new InetSocketAddress(uplink.address(), 0))
                .addListener(
                    (ChannelFutureListener)
                        f -> {
                          if (f.isSuccess()) {
                            connected.accept(ch);
                          } else {
                            attempt.fail(f.cause());
                          }
                        }));
  }

  private static void open(Attempt attempt, Uplink uplink, Bootstrap b, Consumer<Channel> next) {
    ChannelFuture registered = b.register();
    Channel ch = registered.channel();
    attempt.channel(ch);
    registered.addListener(
        (ChannelFutureListener)
            r -> {
              if (!r.isSuccess()) {
                attempt.fail(r.cause());
                return;
              }
              if (attempt.done()) {
                return;
              }
              Optional<String> device = uplink.interfaceName();
              if (device.isPresent()) {
                try {
                  DeviceBinding.apply(ch, device.get());
                } catch (ChannelException e) {
                  // Never fall back to the main routing table: that would probe another uplink.
                  attempt.fail(e.getMessage());
                  return;
                }
              }
              next.accept(ch);
            });
  }

  /**
   * Resolves {@code host} (IP literals at once, names on the blocking executor) and continues on
   * the attempt's loop.
   */
  static void resolve(
      Attempt attempt,
      String host,
      int port,
      ProbeContext context,
      Consumer<InetSocketAddress> next) {
    Optional<byte[]> literal = Cidr.parseLiteral(host);
    if (literal.isPresent()) {
      try {
        next.accept(new InetSocketAddress(InetAddress.getByAddress(literal.get()), port));
      } catch (UnknownHostException e) {
        attempt.fail(e);
      }
      return;
    }
    EventLoop loop = attempt.loop();
    context
        .blocking()
        .execute(
            () -> {
              try {
                InetAddress a = InetAddress.getByName(host);
                loop.execute(
                    () -> {
                      if (!attempt.done()) {
                        next.accept(new InetSocketAddress(a, port));
                      }
                    });
              } catch (UnknownHostException e) {
                loop.execute(() -> attempt.fail("unknown host"));
              }
            });
  }
}
