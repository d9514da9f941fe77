package gateway.core.config;

import gateway.core.net.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code health.*}: probe targets (e.g. {@code "tcp://198.18.0.1:53"}, {@code
 * "http://host/generate_204"}), timing, and the number of rounds in a row before an uplink changes
 * state.
 */
public record HealthConfig(
    List<ProbeTarget> targets,
    Duration interval,
    Duration timeout,
    int downAfter,
    int upAfter,
    int reliability,
    Optional<Double> degradedLossPercent,
    Optional<Duration> degradedRtt) {

  public HealthConfig {
    targets = List.copyOf(targets);
  }
}
