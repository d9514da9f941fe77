package gateway.proxy.server;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections per client address, against {@code limits.client-connections}: one machine that
 * opens hundreds of connections must not starve the office. Shared by all event loops.
 */
public final class ClientConnections {
  private final int limit;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  /** @param limit most open connections per address; 0 for no limit */
  public ClientConnections(int limit) {
    this.limit = limit;
  }

  /** Counts a new connection; returns whether it is within the limit. Pair with {@link #closed}. */
  public boolean opened(InetAddress client) {
    int n = open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
    return limit == 0 || n <= limit;
  }

  public void closed(InetAddress client) {
    open.computeIfPresent(client, (k, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  /** Open connections per client address now, for the status page. */
  public Map<InetAddress, Integer> snapshot() {
    Map<InetAddress, Integer> out = new java.util.HashMap<>();
    open.forEach((a, n) -> out.put(a, n.get()));
    return out;
  }

  public int limit() {
    return limit;
  }
}
