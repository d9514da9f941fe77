package gateway.core.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests the gateway refused, per {@link Refusal}: written from any event loop without
 * locks, read by the metrics endpoint. Counts since start; a reload keeps them.
 */
public final class RefusalCounters {
  private final Map<Refusal, LongAdder> counts = new EnumMap<>(Refusal.class);

  public RefusalCounters() {
    for (Refusal r : Refusal.values()) {
      counts.put(r, new LongAdder());
    }
  }

  /** A request was refused for {@code reason}. */
  public void refused(Refusal reason) {
    counts.get(reason).increment();
  }

  public long get(Refusal reason) {
    return counts.get(reason).sum();
  }
}
