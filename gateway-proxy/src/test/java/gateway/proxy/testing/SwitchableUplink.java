package gateway.proxy.testing;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.proxy.upstream.UplinkChooser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * One uplink, {@code lo} on the loopback address, whose health the test sets: while it is down the
 * proxy has no uplink at all and answers as it does when every ISP is down.
 */
public final class SwitchableUplink implements UplinkChooser {
  private final Uplink lo;
  private volatile boolean up = true;

  public SwitchableUplink() {
    try {
      lo = new Uplink("lo", InetAddress.getByName("127.0.0.1"), Optional.empty(), 1, 1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  public void up() {
    up = true;
  }

  public void down() {
    up = false;
  }

  @Override
  public List<Uplink> candidates(FlowKey flow, String host) {
    return up ? List.of(lo) : List.of();
  }
}
