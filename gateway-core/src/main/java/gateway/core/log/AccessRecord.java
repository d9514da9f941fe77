package gateway.core.log;

/**
 * What the access log says about one request or one tunnel, in the order of Squid's native format.
 *
 * @param startMillis when the request arrived, epoch milliseconds
 * @param elapsedMillis from arrival to the last byte sent to the client (tunnels: to close)
 * @param client the client's IP address, as a literal
 * @param action Squid's {@code %Ss}
 * @param status HTTP status sent to the client ({@code 000} when none was sent)
 * @param bytes bytes sent to the client (tunnels: both directions)
 * @param method request method
 * @param url request URL ({@code host:port} for CONNECT)
 * @param uplink name of the uplink that carried the upstream connection, or null when none did
 * @param contentType response content type, or null
 * @param rule the access rule or limit that denied or redirected the request, or null
 */
public record AccessRecord(
    long startMillis,
    long elapsedMillis,
    String client,
    CacheAction action,
    int status,
    long bytes,
    String method,
    String url,
    String uplink,
    String contentType,
    String rule) {

  /** A record that no rule decided. */
  public AccessRecord(
      long startMillis,
      long elapsedMillis,
      String client,
      CacheAction action,
      int status,
      long bytes,
      String method,
      String url,
      String uplink,
      String contentType) {
    this(
        startMillis,
        elapsedMillis,
        client,
        action,
        status,
        bytes,
        method,
        url,
        uplink,
        contentType,
        null);
  }
}
