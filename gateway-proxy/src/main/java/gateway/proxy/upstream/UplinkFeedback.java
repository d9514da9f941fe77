package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import java.time.Duration;

/**
 * What connecting learns about uplinks, and what it asks of their health: client connects are
 * passive evidence for the health monitor, and the monitor's RTT tells how long a connect may take
 * before the next uplink is raced against it.
 */
public interface UplinkFeedback {
  /** How long a connect through {@code uplink} may stall before the next uplink races it. */
  Duration raceAfter(Uplink uplink);

  /** A connect through {@code uplink} completed after {@code nanos}. */
  void connected(Uplink uplink, long nanos);

  /** A connect through {@code uplink} failed (timeout, unreachable, the device refused). */
  void failed(Uplink uplink, Throwable cause);

  /** A connect through {@code uplink} was still pending when another uplink connected first. */
  void lostRace(Uplink uplink);

  /** No health monitor: race after a fixed second. */
  UplinkFeedback NONE =
      new UplinkFeedback() {
        @Override
        public Duration raceAfter(Uplink uplink) {
          return Duration.ofSeconds(1);
        }

        @Override
        public void connected(Uplink uplink, long nanos) {}

        @Override
        public void failed(Uplink uplink, Throwable cause) {}

        @Override
        public void lostRace(Uplink uplink) {}
      };
}
