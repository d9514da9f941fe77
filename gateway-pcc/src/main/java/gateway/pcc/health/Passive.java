package gateway.pcc.health;

/** Evidence about an uplink from client traffic rather than from probes. */
public enum Passive {
  /** A client's upstream connect through the uplink completed. */
  CONNECTED,
  /** A client's upstream connect through the uplink failed (refused, timed out, unreachable). */
  CONNECT_FAILED,
  /** The connect stalled and another uplink's racing connect won. */
  LOST_RACE
}
