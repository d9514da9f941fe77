package gateway.proxy.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections per client address, to hold against {@code limits.client-connections} (which a
 * reload may change, so the limit is not kept here): one machine that opens hundreds of connections
 * must not starve the office. Shared by all event loops.
 */
public final class ClientConnections {
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  /**
   * Counts a new connection; returns how many the client has open with it. Pair with {@link
   * #closed}.
   */
  public int opened(InetAddress client) {
    return open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
  }

  public void closed(InetAddress client) {
    open.computeIfPresent(client, (k, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  /** Open connections per client address now, for the status page. */
  public Map<InetAddress, Integer> snapshot() {
    Map<InetAddress, Integer> out = new HashMap<>();
    open.forEach((a, n) -> out.put(a, n.get()));
    return out;
  }
}
