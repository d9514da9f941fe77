package gateway.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server on 127.0.0.1 (UDP, ephemeral port) that knows only the names a test gives it: A
 * queries for those get their address, everything else gets NXDOMAIN. Tests that resolve names use
 * it instead of the machine's resolvers. {@link #queries()} lists the names asked, in order.
 */
public final class TestDnsServer implements AutoCloseable {
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<InetAddress> sources = new CopyOnWriteArrayList<>();
  private final Set<InetAddress> ignored = ConcurrentHashMap.newKeySet();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  private TestDnsServer() throws InterruptedException {
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
                            new Answerer());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  public static TestDnsServer start() throws InterruptedException {
    return new TestDnsServer();
  }

  /** From now on, {@code name} resolves to {@code address} (an IPv4 literal). */
  public TestDnsServer add(String name, String address) throws Exception {
    names.put(canonical(name), InetAddress.getByName(address));
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  public List<String> queries() {
    return queries;
  }

  /** The source address of every query, in order: which uplink asked. */
  public List<InetAddress> querySources() {
    return sources;
  }

  /** Queries from {@code source} get no answer at all, as if that uplink's path were dead. */
  public TestDnsServer ignoreFrom(String source) throws Exception {
    ignored.add(InetAddress.getByName(source));
    return this;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      sources.add(query.sender().getAddress());
      if (ignored.contains(query.sender().getAddress())) {
        return;
      }
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
      if (q == null) {
        ctx.writeAndFlush(response.setCode(DnsResponseCode.FORMERR));
        return;
      }
      String name = canonical(q.name());
      queries.add(name);
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      InetAddress known = names.get(name);
      if (known == null) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else if (q.type() == DnsRecordType.A && known.getAddress().length == 4) {
        response.addRecord(
            DnsSection.ANSWER,
            new DefaultDnsRawRecord(
                q.name(), DnsRecordType.A, 60, Unpooled.wrappedBuffer(known.getAddress())));
      }
      // A known name asked for another type (AAAA): an empty answer, NOERROR.
      ctx.writeAndFlush(response);
    }
  }
}
