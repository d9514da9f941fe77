package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * Probes one target through one uplink, without blocking the event loop.
 *
 * <p>Every probe's socket is bound to the uplink like client traffic: to its source address, and to
 * its interface (SO_BINDTODEVICE) when one is configured; if the interface binding is refused the
 * probe fails rather than go out through another uplink. Host names of {@code tcp} and {@code http}
 * targets are looked up with the system resolver (off the event loop), which does not go through
 * the uplink: configure IP literals where that matters.
 */
public interface Probe {

  ProbeTarget target();

  /**
   * Starts one probe on {@code loop}. The future never fails: it completes, on {@code loop}, with
   * the result, at the latest when the context's timeout has passed.
   */
  Future<TargetResult> run(Uplink uplink, EventLoop loop);

  /** The probe for {@code target}. */
  static Probe of(ProbeTarget target, ProbeContext context) {
    if (target instanceof ProbeTarget.Tcp t) {
      return new TcpProbe(t, context);
    } else if (target instanceof ProbeTarget.Http h) {
      return new HttpProbe(h, context);
    } else if (target instanceof ProbeTarget.Dns d) {
      return new DnsProbe(d, context);
    } else if (target instanceof ProbeTarget.Icmp i) {
      return new IcmpProbe(i, context);
    }
    throw new IllegalArgumentException("no probe for " + target);
  }
}
