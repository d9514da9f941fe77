package gateway.core.config;

/**
 * {@code limits.*}: sizes a request head may not exceed (400/414/431 otherwise), and how many
 * connections one client address may hold open (429 beyond that).
 *
 * @param requestLine longest request line in bytes
 * @param headerBlock largest header block in bytes
 * @param headers most header fields
 * @param clientConnections most concurrent connections per client address (0: no limit)
 */
public record LimitsConfig(int requestLine, int headerBlock, int headers, int clientConnections) {
  /** The default per-client connection limit. */
  public static final int DEFAULT_CLIENT_CONNECTIONS = 256;

  public LimitsConfig(int requestLine, int headerBlock, int headers) {
    this(requestLine, headerBlock, headers, DEFAULT_CLIENT_CONNECTIONS);
  }
}
