package gateway.proxy.access;

import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.DomainPattern;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The ordered {@code access} rules: the first rule that matches a request decides it; a request that
 * no rule matches is allowed (the client is already one that {@code clients.allow} lets in). A pure
 * function of the request and the local time, so tables can test it.
 *
 * <p>What a rule matches today: destination domains (exact or {@code *.wildcard}, the same patterns
 * as {@code balance.pin}) and a time window. A rule without domains matches every destination.
 */
public final class AccessRules {
  /** What to do with one request. */
  public sealed interface Decision permits Allow, Deny, Redirect {}

  /** Forward it (a rule named it, or none matched: {@code rule} is then empty). */
  public record Allow(Optional<String> rule) implements Decision {}

  /** Refuse it with 403, naming the rule. */
  public record Deny(String rule) implements Decision {}

  /** Answer with a redirect to {@code location}, naming the rule. */
  public record Redirect(String rule, String location) implements Decision {}

  private record Rule(String name, String action, List<DomainPattern> domains,
      Optional<TimeWindow> time, Optional<String> redirect) {
    boolean matches(String host, LocalDateTime now) {
      if (!domains.isEmpty() && domains.stream().noneMatch(d -> d.matches(host))) {
        return false;
      }
      return time.map(w -> w.contains(now)).orElse(true);
    }
  }

  private static final Allow NO_RULE = new Allow(Optional.empty());

  private final List<Rule> rules;

  private AccessRules(List<Rule> rules) {
    this.rules = rules;
  }

  /** Compiles the rules of the config (already validated by the config loader). */
  public static AccessRules of(List<AccessRuleConfig> configs) {
    return new AccessRules(configs.stream()
        .map(c -> new Rule(c.name(), c.action(),
            c.domains().stream().map(DomainPattern::parse).toList(),
            c.time().map(TimeWindow::parse), c.redirect()))
        .toList());
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Decides a request for {@code host} at local time {@code now}. */
  public Decision decide(String host, LocalDateTime now) {
    for (Rule r : rules) {
      if (!r.matches(host, now)) {
        continue;
      }
      return switch (r.action()) {
        case "deny" -> new Deny(r.name());
        case "redirect" -> new Redirect(r.name(), r.redirect().orElseThrow());
        default -> new Allow(Optional.of(r.name()));
      };
    }
    return NO_RULE;
  }
}
