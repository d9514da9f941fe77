package gateway.app.torch;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pure half of torch: packets in, the busiest flows with their rates out, like MikroTik's
 * Torch. Time comes with each call (nanoseconds from any fixed origin), so tests drive it with
 * made-up packets and a made-up clock.
 *
 * <p>Direction: the flow's local end is the uplink's, so packets from it are sent (tx) and packets
 * to it received (rx). The uplink's addresses are given in order, its configured {@code address}
 * first: the end whose address comes first in that list is the local one. When both ends rank the
 * same (a connection between two addresses of the box on loopback, traffic the box forwards, which
 * names none of them), the end with the higher port is the local one: that is the client's
 * ephemeral port, so both directions of a connection still make one flow, seen from the client.
 *
 * <p>Each {@link #snapshot} reports the rates since the previous one and starts a new interval. A
 * flow stays listed (at rate 0) until it has been quiet for the entry timeout, as in Torch, so
 * short gaps do not make rows jump.
 *
 * <p>Not thread-safe: the capture records and a timer takes snapshots, so the caller locks.
 */
public final class FlowTable {
  private final List<InetAddress> own;
  private final long entryTimeoutNanos;
  private final Map<Flow, Counters> flows = new HashMap<>();
  private long intervalStart;

  /**
   * @param ownAddresses this uplink's addresses, its configured {@code address} first
   * @param entryTimeout how long a quiet flow stays listed
   * @param startNanos the clock's reading now: the first interval begins here
   */
  public FlowTable(List<InetAddress> ownAddresses, Duration entryTimeout, long startNanos) {
    this.own = List.copyOf(ownAddresses);
    this.entryTimeoutNanos = entryTimeout.toNanos();
    this.intervalStart = startNanos;
  }

  /** Counts one packet seen at {@code nanos}. */
  public void record(Packet p, long nanos) {
    int from = rank(p.source());
    int to = rank(p.destination());
    boolean received =
        to < from
            || (to == from && p.destinationPort() > p.sourcePort()); // the client's end is "local"
    Flow flow =
        received
            ? new Flow(
                p.protocol(), p.destination(), p.destinationPort(), p.source(), p.sourcePort())
            : new Flow(
                p.protocol(), p.source(), p.sourcePort(), p.destination(), p.destinationPort());
    Counters c = flows.computeIfAbsent(flow, f -> new Counters());
    if (received) {
      c.rxBytes += p.length();
      c.rxPackets++;
    } else {
      c.txBytes += p.length();
      c.txPackets++;
    }
    c.lastSeen = nanos;
  }

  /**
   * The rates of the interval that ends at {@code nanos}, busiest flows first (most bytes both ways
   * together), at most {@code top} rows; the totals count every flow. Starts the next interval and
   * forgets flows quiet for longer than the entry timeout.
   */
  public Snapshot snapshot(long nanos, int top) {
    double seconds = Math.max(1, nanos - intervalStart) / 1e9;
    intervalStart = nanos;
    List<FlowRate> rows = new ArrayList<>(flows.size());
    long txBytes = 0;
    long rxBytes = 0;
    long txPackets = 0;
    long rxPackets = 0;
    for (Iterator<Map.Entry<Flow, Counters>> it = flows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Flow, Counters> e = it.next();
      Counters c = e.getValue();
      boolean quiet = c.txPackets == 0 && c.rxPackets == 0;
      if (quiet && nanos - c.lastSeen > entryTimeoutNanos) {
        it.remove();
        continue;
      }
      rows.add(
          new FlowRate(
              e.getKey(),
              c.txBytes * 8 / seconds,
              c.rxBytes * 8 / seconds,
              c.txPackets / seconds,
              c.rxPackets / seconds));
      txBytes += c.txBytes;
      rxBytes += c.rxBytes;
      txPackets += c.txPackets;
      rxPackets += c.rxPackets;
      c.txBytes = 0;
      c.rxBytes = 0;
      c.txPackets = 0;
      c.rxPackets = 0;
    }
    rows.sort(
        Comparator.comparingDouble((FlowRate r) -> -(r.txBitsPerSecond() + r.rxBitsPerSecond()))
            .thenComparing(FlowRate::flow, Flow.ORDER));
    int flowCount = rows.size();
    List<FlowRate> shown = List.copyOf(rows.subList(0, Math.min(Math.max(0, top), rows.size())));
    return new Snapshot(
        Duration.ofNanos(Math.round(seconds * 1e9)),
        shown,
        flowCount,
        txBytes * 8 / seconds,
        rxBytes * 8 / seconds,
        txPackets / seconds,
        rxPackets / seconds);
  }

  /** Where {@code a} stands in the uplink's addresses; after all of them if it is not one. */
  private int rank(InetAddress a) {
    int i = own.indexOf(a);
    return i < 0 ? own.size() : i;
  }

  /** Flows currently listed (seen within the entry timeout, or in the current interval). */
  public int size() {
    return flows.size();
  }

  /** One flow's rates over an interval: bits and packets per second, each way. */
  public record FlowRate(
      Flow flow,
      double txBitsPerSecond,
      double rxBitsPerSecond,
      double txPacketsPerSecond,
      double rxPacketsPerSecond) {}

  /**
   * One interval: its length, the busiest flows, how many flows were listed in all, and the totals
   * of all of them.
   */
  public record Snapshot(
      Duration interval,
      List<FlowRate> top,
      int flows,
      double txBitsPerSecond,
      double rxBitsPerSecond,
      double txPacketsPerSecond,
      double rxPacketsPerSecond) {}

  private static final class Counters {
    long txBytes;
    long rxBytes;
    long txPackets;
    long rxPackets;
    long lastSeen;
  }
}
