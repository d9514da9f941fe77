package gateway.app.admin;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.log.AccessLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sits in front of the access log and counts what it sees: requests and bytes per client (the
 * status page's top clients) and requests per Squid action (the cache hit ratio, whatever the cache
 * is). Never blocks: a few adders per record, then the record goes on to the real log.
 *
 * <p>At most {@link #MAX_CLIENTS} client addresses are tracked (an office LAN has far fewer);
 * records of further addresses count only in the totals.
 */
public final class TrafficTally implements AccessLog {
  public static final int MAX_CLIENTS = 4096;

  /** One client's totals since start. */
  public record Client(String address, long requests, long bytes) {}

  private static final class Totals {
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
  }

  private final AccessLog next;
  private final Map<String, Totals> clients = new ConcurrentHashMap<>();
  private final Map<CacheAction, LongAdder> actions = new EnumMap<>(CacheAction.class);
  private final Map<CacheAction, LongAdder> actionBytes = new EnumMap<>(CacheAction.class);

  public TrafficTally(AccessLog next) {
    this.next = next;
    for (CacheAction a : CacheAction.values()) {
      actions.put(a, new LongAdder());
      actionBytes.put(a, new LongAdder());
    }
  }

  @Override
  public void record(AccessRecord r) {
    actions.get(r.action()).increment();
    actionBytes.get(r.action()).add(r.bytes());
    Totals t = clients.get(r.client());
    if (t == null && clients.size() < MAX_CLIENTS) {
      t = clients.computeIfAbsent(r.client(), k -> new Totals());
    }
    if (t != null) {
      t.requests.increment();
      t.bytes.add(r.bytes());
    }
    next.record(r);
  }

  /** The {@code n} clients that received the most bytes, most first. */
  public List<Client> topClients(int n) {
    List<Client> all = new ArrayList<>();
    clients.forEach((a, t) -> all.add(new Client(a, t.requests.sum(), t.bytes.sum())));
    all.sort(Comparator.comparingLong(Client::bytes).reversed().thenComparing(Client::address));
    return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
  }

  /** Requests logged with {@code action} since start. */
  public long count(CacheAction action) {
    return actions.get(action).sum();
  }

  /** Bytes sent to clients for requests logged with {@code action} since start. */
  public long bytes(CacheAction action) {
    return actionBytes.get(action).sum();
  }
}
