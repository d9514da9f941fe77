package gateway.pcc.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one probe of one target through one uplink found.
 *
 * @param target the target as configured, e.g. {@code tcp://198.18.100.53:80}
 * @param ok whether the target answered as expected
 * @param rtt the probe's round-trip time when {@code ok} (connect time, time to status line, time
 *     to the DNS answer, the echo time)
 * @param reason empty when {@code ok}, else a short word or phrase: {@code refused}, {@code
 *     timeout}, {@code unreachable}, {@code status 500}, ...
 */
public record TargetResult(String target, boolean ok, Optional<Duration> rtt, String reason) {

  public TargetResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rtt, "rtt");
    Objects.requireNonNull(reason, "reason");
    if (ok && rtt.isEmpty()) {
      throw new IllegalArgumentException("a passed probe has an RTT");
    }
  }

  public static TargetResult ok(String target, Duration rtt) {
    return new TargetResult(target, true, Optional.of(rtt), "");
  }

  public static TargetResult failed(String target, String reason) {
    return new TargetResult(target, false, Optional.empty(), reason);
  }

  @Override
  public String toString() {
    return ok ? target + " ok " + StateChange.millis(rtt.get()) : target + " " + reason;
  }
}
