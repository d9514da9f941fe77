package gateway.core.config;

import java.util.List;

/**
 * {@code limits.*}: sizes a request head may not exceed (400/414/431 otherwise), how many
 * connections one client address may hold open (429 beyond that), and how fast one client address
 * may download and upload (slowed beyond that, never cut). Rates are bytes per second; 0 is no
 * limit.
 *
 * @param requestLine longest request line in bytes
 * @param headerBlock largest header block in bytes
 * @param headers most header fields
 * @param clientConnections most concurrent connections per client address (0: no limit)
 * @param clientDownload {@code client-download}: bytes per second per client address towards it
 * @param clientUpload {@code client-upload}: bytes per second per client address from it
 * @param groups {@code groups}: other limits for the members of client groups, and shared ones
 */
public record LimitsConfig(
    int requestLine,
    int headerBlock,
    int headers,
    int clientConnections,
    long clientDownload,
    long clientUpload,
    List<GroupLimitsConfig> groups) {
  /** The default per-client connection limit. */
  public static final int DEFAULT_CLIENT_CONNECTIONS = 256;

  public LimitsConfig {
    groups = List.copyOf(groups);
  }

  public LimitsConfig(int requestLine, int headerBlock, int headers) {
    this(requestLine, headerBlock, headers, DEFAULT_CLIENT_CONNECTIONS);
  }

  public LimitsConfig(int requestLine, int headerBlock, int headers, int clientConnections) {
    this(requestLine, headerBlock, headers, clientConnections, 0, 0, List.of());
  }

  /** These limits with per-client bandwidth (bytes per second, 0: none). */
  public LimitsConfig withBandwidth(long download, long upload) {
    return new LimitsConfig(
        requestLine, headerBlock, headers, clientConnections, download, upload, groups);
  }

  public LimitsConfig withGroups(List<GroupLimitsConfig> newGroups) {
    return new LimitsConfig(
        requestLine,
        headerBlock,
        headers,
        clientConnections,
        clientDownload,
        clientUpload,
        newGroups);
  }
}
