package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * {@code tcp://host:port}: passes when the TCP handshake completes; the RTT is the connect time.
 */
final class TcpProbe implements Probe {
  private final ProbeTarget.Tcp target;
  private final ProbeContext context;

  TcpProbe(ProbeTarget.Tcp target, ProbeContext context) {
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
    loop.execute(
        () ->
            UplinkSockets.resolve(
                attempt,
                target.host(),
                target.port(),
                context,
                remote ->
                    UplinkSockets.connect(
                        attempt,
                        uplink,
                        remote,
                        context.timeoutMillis(),
                        new ChannelInboundHandlerAdapter(),
                        attempt::passed)));
    return attempt.future();
  }
}
