package gateway.core.config;

import java.time.Duration;

/**
 * {@code shutdown.drain}: on SIGTERM, how long requests and tunnels in flight may take to finish.
 */
public record ShutdownConfig(Duration drain) {}
