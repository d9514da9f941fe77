package gateway.proxy.access;

import gateway.core.metrics.RuleCounters;
import gateway.proxy.limit.Bandwidth;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The current {@link Policy}, swapped whole by a reload, and what outlives one: the per-rule
 * counters and the bandwidth buckets. Each request reads the policy once when it is decided; a
 * connection takes its limits when it opens. Decisions made here are counted per rule.
 */
public final class Policies {
  private volatile Policy current;
  private final RuleCounters counters = new RuleCounters();
  private final Bandwidth bandwidth;

  public Policies(Policy initial, LongSupplier nanoTime) {
    this.current = initial;
    this.bandwidth = new Bandwidth(initial.limits(), nanoTime);
  }

  public Policy current() {
    return current;
  }

  /**
   * Puts {@code next} in force for new requests and connections; open connections follow new rates.
   */
  public void swap(Policy next) {
    current = next;
    bandwidth.apply(next.limits());
  }

  public RuleCounters counters() {
    return counters;
  }

  public Bandwidth bandwidth() {
    return bandwidth;
  }

  /** {@link AccessRules#decide}, counted. */
  public AccessRules.Decision decide(AccessRules.Request request, LocalDateTime now) {
    AccessRules.Decision d = current.access().decide(request, now);
    count(d);
    return d;
  }

  /** Counts {@code d}, a decision of {@link AccessRules#decide} on the rules in force, per rule. */
  public void count(AccessRules.Decision d) {
    if (d instanceof AccessRules.Deny deny) {
      counters.denied(deny.rule());
    } else if (d instanceof AccessRules.Redirect r) {
      counters.matched(r.rule());
    } else if (d instanceof AccessRules.Allow a && a.rule().isPresent()) {
      counters.matched(a.rule().get());
    }
  }

  /** {@link AccessRules#decideAtDestination}, counted. */
  public Optional<AccessRules.Deny> decideAtDestination(
      AccessRules.Request request, LocalDateTime requestTime) {
    Optional<AccessRules.Deny> d = current.access().decideAtDestination(request, requestTime);
    d.ifPresent(deny -> counters.denied(deny.rule()));
    return d;
  }

  /** {@link AccessRules#denyForUnknownName}, counted. */
  public Optional<AccessRules.Deny> denyForUnknownName(
      AccessRules.Request request, LocalDateTime now) {
    Optional<AccessRules.Deny> d = current.access().denyForUnknownName(request, now);
    d.ifPresent(deny -> counters.denied(deny.rule()));
    return d;
  }

  /** {@link AccessRules#decideAtResponse}, counted. */
  public Optional<AccessRules.Deny> decideAtResponse(
      AccessRules.Request request, AccessRules.Response response, LocalDateTime requestTime) {
    Optional<AccessRules.Deny> d =
        current.access().decideAtResponse(request, response, requestTime);
    d.ifPresent(deny -> counters.denied(deny.rule()));
    return d;
  }

  /** The most connections {@code client} may hold open now (0: no limit). */
  public int connectionLimit(InetAddress client) {
    return current.limits().of(client).connections();
  }
}
