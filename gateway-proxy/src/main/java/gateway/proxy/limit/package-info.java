/**
 * Per-client limits: {@code Bandwidth} (open it first; a client's share of each uplink, each way),
 * {@code ReadGate} and {@code Throttle} (reads paced by a {@code TokenBucket}), {@code
 * ClientLimits} (connections per client). Set up when a connection is accepted, applied on its
 * reads all along the path.
 */
package gateway.proxy.limit;
