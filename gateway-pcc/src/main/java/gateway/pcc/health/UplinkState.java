package gateway.pcc.health;

import java.util.List;
import java.util.Optional;

/**
 * One uplink as the status page shows it.
 *
 * @param name the uplink's name
 * @param state its health state
 * @param stats loss, RTT median and jitter over the window
 * @param lastRound the latest probe round, if one has completed
 * @param history the latest state changes, oldest first (at most {@link HealthMonitor#HISTORY})
 * @param changes every state change since start, counted (the history keeps only the latest)
 */
public record UplinkState(
    String name,
    HealthState state,
    WindowStats stats,
    Optional<RoundResult> lastRound,
    List<StateChange> history,
    long changes) {

  public UplinkState {
    history = List.copyOf(history);
  }

  /** The latest state change, if any. */
  public Optional<StateChange> lastChange() {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }
}
