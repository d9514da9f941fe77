/**
 * Uplink selection: an immutable snapshot that orders the available uplinks for a flow (tiers,
 * weights, pins), swapped whole when health or a reload changes it. Pure. On the request's path at
 * the uplink choice: the first candidate is connected to, the rest are the fallbacks a race takes.
 */
package gateway.pcc.select;
