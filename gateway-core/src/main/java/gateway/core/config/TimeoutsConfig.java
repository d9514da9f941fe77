package gateway.core.config;

import java.time.Duration;

/**
 * {@code timeouts.*}.
 *
 * @param connect upstream TCP connect (502 when it fails, 504 when it expires)
 * @param requestHeader a client must send its whole request head within this (slowloris)
 * @param response the origin must start its response within this after the request was sent (504)
 * @param idle a connection (client, upstream or tunnel) with no traffic either way is closed
 */
public record TimeoutsConfig(
    Duration connect, Duration requestHeader, Duration response, Duration idle) {}
