package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.Future;
import java.net.PortUnreachableException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code dns://ip[:port]/name}: one UDP query for the A record of {@code name}, from the uplink's
 * address (and interface). Passes on any well-formed response carrying the query's id, whatever its
 * code: an NXDOMAIN still proves the path to the server works. Malformed datagrams and other ids
 * are ignored; an ICMP port-unreachable fails the probe with {@code refused}. The RTT runs from
 * sending the query.
 */
final class DnsProbe implements Probe {
  private final ProbeTarget.Dns target;
  private final ProbeContext context;

  DnsProbe(ProbeTarget.Dns target, ProbeContext context) {
    this.target = target;
    this.context = context;
  }

  @Override
  public ProbeTarget target() {
    return target;
  }

  @Override
  public Future<TargetResult> run(Uplink uplink, EventLoop loop) {
    Attempt attempt = new Attempt(loop, target.text(), context);
    int id = ThreadLocalRandom.current().nextInt(1 << 16);
    ChannelInitializer<DatagramChannel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline()
                .addLast(
                    new DatagramDnsQueryEncoder(),
                    new DatagramDnsResponseDecoder(),
                    new Answer(attempt, id));
          }
        };
    loop.execute(
        () ->
            UplinkSockets.resolve(
                attempt,
                target.host(),
                target.port(),
                context,
                server ->
                    UplinkSockets.datagram(
                        attempt,
                        uplink,
                        server,
                        init,
                        ch -> {
                          DatagramDnsQuery query = new DatagramDnsQuery(null, server, id);
                          query.setRecursionDesired(true);
                          query.addRecord(
                              DnsSection.QUESTION,
                              new DefaultDnsQuestion(target.name(), DnsRecordType.A));
                          attempt.startClock();
                          ch.writeAndFlush(query)
                              .addListener(
                                  f -> {
                                    if (!f.isSuccess()) {
                                      attempt.fail(f.cause());
                                    }
                                  });
                        })));
    return attempt.future();
  }

  private static final class Answer extends SimpleChannelInboundHandler<DatagramDnsResponse> {
    private final Attempt attempt;
    private final int id;

    Answer(Attempt attempt, int id) {
      this.attempt = attempt;
      this.id = id;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
      if (response.id() == id) {
        attempt.passed();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof PortUnreachableException
          || cause.getCause() instanceof PortUnreachableException
          || "refused".equals(Failures.reason(cause))) {
        attempt.fail("refused");
      }
      // Anything else (a datagram that does not decode): keep waiting for the real answer.
    }
  }
}
