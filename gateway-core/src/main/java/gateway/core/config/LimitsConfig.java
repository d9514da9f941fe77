package gateway.core.config;

/**
 * {@code limits.*}: sizes a request head may not exceed (400/414/431 otherwise).
 *
 * @param requestLine longest request line in bytes
 * @param headerBlock largest header block in bytes
 * @param headers most header fields
 */
public record LimitsConfig(int requestLine, int headerBlock, int headers) {}
