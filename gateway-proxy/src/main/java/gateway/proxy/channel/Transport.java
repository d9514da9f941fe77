package gateway.proxy.channel;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation: Linux epoll where the native library loads (it is what allows binding
 * to a device and IP_BIND_ADDRESS_NO_PORT), Java NIO elsewhere.
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel) {

  public static Transport best() {
    if (Epoll.isAvailable()) {
      return new Transport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return nio();
  }

  public static Transport nio() {
    return new Transport(
        "nio",
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDatagramChannel.class);
  }

  public boolean isEpoll() {
    return "epoll".equals(name);
  }

  public MultiThreadIoEventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
  }
}
