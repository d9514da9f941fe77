package gateway.pcc.health;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Event loop groups for tests: the production transport (epoll here) and NIO. */
final class Loops {
  private Loops() {}

  /** The transports to test with: "epoll" where it loads, and always "nio". */
  static List<String> transports() {
    List<String> t = new ArrayList<>();
    if (Epoll.isAvailable()) {
      t.add("epoll");
    }
    t.add("nio");
    return t;
  }

  static MultiThreadIoEventLoopGroup group(String transport) {
    IoHandlerFactory f =
        transport.equals("epoll") ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(1, f);
  }

  static MultiThreadIoEventLoopGroup best() {
    return group(transports().get(0));
  }

  static void shutdown(MultiThreadIoEventLoopGroup group) {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
