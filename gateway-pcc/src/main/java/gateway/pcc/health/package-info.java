/**
 * Uplink health: probes through each uplink, the RTT and loss window, the per-uplink state machine
 * ({@code UplinkHealth}), the roster a reload merges ({@code Roster}), and the monitor that runs
 * them on one event loop. Beside the request's path: its verdicts decide which uplinks the
 * selection offers, and client connects feed it passive evidence. The state machine and the roster
 * are pure; the probes and the monitor do the I/O.
 */
package gateway.pcc.health;
