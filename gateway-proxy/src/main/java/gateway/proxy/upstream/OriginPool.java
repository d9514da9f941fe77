package gateway.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive connections to origins, for one event loop only (no locks: every method runs on
 * that loop). A connection is kept per origin and uplink, so reuse never moves a flow to another
 * uplink. The most recently used connection is handed out first; a connection that closes while
 * idle leaves, and one whose uplink a reload retired is closed instead of reused.
 */
public final class OriginPool {
  /** Which idle connections may serve a request. */
  public record Key(String host, int port, String uplink) {}

  private static final AttributeKey<Key> POOLED_AS = AttributeKey.valueOf("gateway.pooledAs");

  /**
   * One pool per event loop: the client connections of a loop share its idle origin connections.
   */
  private static final FastThreadLocal<OriginPool> PER_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected OriginPool initialValue() {
          return new OriginPool(64);
        }
      };

  private final int maxIdlePerKey;
  private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();

  public OriginPool(int maxIdlePerKey) {
    this.maxIdlePerKey = maxIdlePerKey;
  }

  /** The pool of the event loop this runs on; call it on that loop only. */
  public static OriginPool ofThisLoop() {
    return PER_LOOP.get();
  }

  /** An open idle connection for {@code key}, or null. */
  public Channel acquire(Key key) {
    ArrayDeque<Channel> q = idle.get(key);
    if (q == null) {
      return null;
    }
    Channel c;
    while ((c = q.pollLast()) != null) {
      if (c.isActive() && !UpstreamConnector.isRetired(c)) {
        return c;
      }
      c.close();
    }
    idle.remove(key);
    return null;
  }

  /**
   * Keeps {@code channel} for reuse, or closes it when this origin already has enough idle ones.
   */
  public void release(Key key, Channel channel) {
    ArrayDeque<Channel> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
    if (!channel.isActive() || q.size() >= maxIdlePerKey || UpstreamConnector.isRetired(channel)) {
      channel.close();
      return;
    }
    q.addLast(channel);
    if (channel.attr(POOLED_AS).setIfAbsent(key) == null) {
      // Once per connection, however often it returns to the pool.
      channel
          .closeFuture()
          .addListener(
              f -> {
                ArrayDeque<Channel> current = idle.get(key);
                if (current != null && current.remove(channel) && current.isEmpty()) {
                  idle.remove(key);
                }
              });
    }
  }
}
