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
 * Sits in front of the access log and counts what it sees: requests and bytes per client (the status
 * page's top clients) and requests per Squid action (the cache hit ratio, whatever the cache is). Never
 * blocks: a few adders per record, then the record goes on to the real log.
 *
 * <p>At most {@link #MAX_CLIENTS} client addresses are tracked (an office LAN has far fewer); records
 * of further addresses count only in the totals.
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

  /**
   * Requests answered from the cache: hits, memory hits, revalidated hits, clients' copies confirmed,
   * stale copies served when the origin could not be asked.
   */
  public long cacheHits() {
    return sum(HITS, this::count);
  }

  /** Requests the cache could have answered: plain HTTP that went upstream or came from the cache. */
  public long cacheable() {
    return cacheHits() + sum(MISSES, this::count);
  }

  /** Bytes sent from the cache, for the byte-hit ratio. */
  public long cacheHitBytes() {
    return sum(HITS, this::bytes);
  }

  /** Bytes sent for requests the cache could have answered. */
  public long cacheableBytes() {
    return cacheHitBytes() + sum(MISSES, this::bytes);
  }

  private static final List<CacheAction> HITS = List.of(CacheAction.TCP_HIT, CacheAction.TCP_MEM_HIT,
      CacheAction.TCP_REFRESH_UNMODIFIED, CacheAction.TCP_IMS_HIT, CacheAction.TCP_REFRESH_FAIL_OLD);
  private static final List<CacheAction> MISSES =
      List.of(CacheAction.TCP_MISS, CacheAction.TCP_REFRESH_MODIFIED);

  private static long sum(List<CacheAction> actions, java.util.function.ToLongFunction<CacheAction> f) {
    long n = 0;
    for (CacheAction a : actions) {
      n += f.applyAsLong(a);
    }
    return n;
  }
}
