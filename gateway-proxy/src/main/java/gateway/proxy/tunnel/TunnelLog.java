package gateway.proxy.tunnel;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.log.AccessLog;
import java.util.function.LongSupplier;

/**
 * Counts a tunnel's bytes both ways and writes its one access-log line when both sides are closed:
 * Squid's {@code TCP_TUNNEL/200}, method {@code CONNECT}, the bytes both ways, the uplink as the
 * hierarchy peer.
 */
public final class TunnelLog {
  private final AccessLog log;
  private final LongSupplier clock;
  private final long start;
  private final String client;
  private final String url;
  private final String uplink;
  long bytes;
  private int closedSides;

  /**
   * @param start when the tunnel was asked for (epoch ms)
   * @param client the client's address as a literal
   * @param url what the line names: {@code host:port}
   * @param uplink the uplink that carries the upstream connection
   */
  public TunnelLog(
      AccessLog log, LongSupplier clock, long start, String client, String url, String uplink) {
    this.log = log;
    this.clock = clock;
    this.start = start;
    this.client = client;
    this.url = url;
    this.uplink = uplink;
  }

  void sideClosed() {
    if (++closedSides == 2) {
      log.record(
          new AccessRecord(
              start,
              clock.getAsLong() - start,
              client,
              CacheAction.TCP_TUNNEL,
              200,
              bytes,
              "CONNECT",
              url,
              uplink,
              null));
    }
  }
}
