package gateway.pcc.health;

/**
 * Where an uplink stands. Only {@link #UP} uplinks are offered to the selector; {@link #DEGRADED}
 * and {@link #DOWN} both take an uplink out of selection, for different reasons (lossy or slow, or
 * dead).
 */
public enum HealthState {
  /** Probes pass (or have not yet failed {@code down-after} times in a row): used for new flows. */
  UP,
  /** Probes pass, but loss or RTT over the window is beyond {@code degraded.*}: not used. */
  DEGRADED,
  /** {@code down-after} failed rounds in a row: not used until {@code up-after} good rounds. */
  DOWN;

  public boolean available() {
    return this == UP;
  }
}
