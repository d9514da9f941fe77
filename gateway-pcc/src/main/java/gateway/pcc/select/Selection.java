package gateway.pcc.select;

import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link UplinkSelector#select}: the available uplinks in preference order (connect
 * to the first; race or fail over to the next), with what decided it, for logs and the status page.
 *
 * @param candidates every available uplink, best first; empty when none is available
 * @param classifier the classifier that hashed the flow (the pin's, if the pin names one)
 * @param flowHash flow hash v1 of the flow under {@code classifier}
 * @param pin the first pin that matched, if any
 */
public record Selection(
    List<Uplink> candidates, Classifier classifier, long flowHash, Optional<PinRule> pin) {

  public Selection {
    candidates = List.copyOf(candidates);
  }

  /** The uplink to connect with, if any is available. */
  public Optional<Uplink> choice() {
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }
}
