package gateway.pcc.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A UDP DNS server on 127.0.0.1 that knows no names: every query gets NXDOMAIN. Records the source
 * address of each query and the name asked.
 */
final class TinyDnsResponder implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final List<String> senders = new CopyOnWriteArrayList<>();
  private final List<String> names = new CopyOnWriteArrayList<>();

  TinyDnsResponder() throws InterruptedException {
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<NioDatagramChannel>() {
                  @Override
                  protected void initChannel(NioDatagramChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new DatagramDnsQueryDecoder(),
                            new DatagramDnsResponseEncoder(),
                            new NxDomain());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  List<String> senders() {
    return senders;
  }

  List<String> names() {
    return names;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class NxDomain extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      senders.add(query.sender().getAddress().getHostAddress());
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      names.add(q == null ? "" : q.name());
      DatagramDnsResponse r =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      if (q != null) {
        r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      }
      ctx.writeAndFlush(r.setCode(DnsResponseCode.NXDOMAIN));
    }
  }
}
