package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import java.time.Duration;

/**
 * What connecting learns about uplinks, and what it asks of their health: client connects are passive
 * evidence for the health monitor, and the monitor's RTT tells how long a connect may take before the
 * next uplink is raced against it.
 */
public interface UplinkFeedback {
  /** How long a connect through {@code uplink} may stall before the next uplink races it. */
  Duration raceAfter(Uplink uplink);

  /** A connect through {@code uplink} completed after {@code nanos}. */
  void connected(Uplink uplink, long nanos);

  /** A connect through {@code uplink} failed (timeout, unreachable) or was overtaken in a race. */
  void failed(Uplink uplink, Throwable cause);

  /** No health monitor: race after a fixed second. */
  UplinkFeedback NONE = new UplinkFeedback() {
    @Override
    public Duration raceAfter(Uplink uplink) {
      return Duration.ofSeconds(1);
    }

    @Override
    public void connected(Uplink uplink, long nanos) {}

    @Override
    public void failed(Uplink uplink, Throwable cause) {}
  };
}
