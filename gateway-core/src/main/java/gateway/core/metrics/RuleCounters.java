package gateway.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per access rule (and per limit, named like {@code limits.client-connections}): how many requests
 * it matched and how many of those it denied. Written from any event loop without locks; read by
 * the status page and the metrics endpoint through {@link #snapshot()}. Counts survive a reload; a
 * rule that a reload removed keeps its counts.
 */
public final class RuleCounters {
  /** The name under which requests refused by the per-client connection limit are counted. */
  public static final String CLIENT_CONNECTIONS = "limits.client-connections";

  /** One rule's counts at one moment. */
  public record Counts(long matches, long denies) {}

  private static final class Counters {
    final LongAdder matches = new LongAdder();
    final LongAdder denies = new LongAdder();
  }

  private final Map<String, Counters> byRule = new ConcurrentHashMap<>();

  /** A request matched {@code rule} (whatever its action). */
  public void matched(String rule) {
    of(rule).matches.increment();
  }

  /** A request matched {@code rule} and was refused for it (403, 429). */
  public void denied(String rule) {
    Counters c = of(rule);
    c.matches.increment();
    c.denies.increment();
  }

  public Counts get(String rule) {
    Counters c = byRule.get(rule);
    return c == null ? new Counts(0, 0) : new Counts(c.matches.sum(), c.denies.sum());
  }

  /** Every rule that matched anything, by name. */
  public Map<String, Counts> snapshot() {
    Map<String, Counts> out = new TreeMap<>();
    byRule.forEach((name, c) -> out.put(name, new Counts(c.matches.sum(), c.denies.sum())));
    return out;
  }

  private Counters of(String rule) {
    return byRule.computeIfAbsent(rule, r -> new Counters());
  }
}
