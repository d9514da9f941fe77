package gateway.pcc.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every probe needs besides its target and uplink.
 *
 * @param timeout a probe completes within this, passed or failed
 * @param nanoTime the monotonic clock RTTs are measured with ({@code System::nanoTime} in
 *     production)
 * @param blocking runs the few blocking steps off the event loop: looking up a target's host name,
 *     waiting for {@code ping}
 */
public record ProbeContext(Duration timeout, LongSupplier nanoTime, Executor blocking) {

  public ProbeContext {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(blocking, "blocking");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout " + timeout);
    }
  }

  int timeoutMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }
}
