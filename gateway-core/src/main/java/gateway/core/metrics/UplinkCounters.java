package gateway.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-uplink traffic counters: upstream connections opened, bytes received from and sent to the
 * internet through each uplink. Written from any event loop without locks; read by the status page
 * and the metrics endpoint through {@link #snapshot()}.
 */
public final class UplinkCounters {
  /** One uplink's counters. */
  public static final class Counters {
    final LongAdder connections = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    public void connected() {
      connections.increment();
    }

    public void connectFailed() {
      connectFailures.increment();
    }

    public void received(long bytes) {
      bytesIn.add(bytes);
    }

    public void sent(long bytes) {
      bytesOut.add(bytes);
    }
  }

  /** The counters of one uplink at one moment. */
  public record Snapshot(long connections, long connectFailures, long bytesIn, long bytesOut) {}

  private final Map<String, Counters> byUplink = new ConcurrentHashMap<>();

  public Counters of(String uplink) {
    return byUplink.computeIfAbsent(uplink, k -> new Counters());
  }

  /** Every uplink that carried traffic, by name. */
  public Map<String, Snapshot> snapshot() {
    Map<String, Snapshot> out = new TreeMap<>();
    byUplink.forEach(
        (name, c) ->
            out.put(
                name,
                new Snapshot(
                    c.connections.sum(),
                    c.connectFailures.sum(),
                    c.bytesIn.sum(),
                    c.bytesOut.sum())));
    return out;
  }
}
