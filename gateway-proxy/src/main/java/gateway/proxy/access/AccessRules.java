package gateway.proxy.access;

import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import gateway.core.net.DomainPattern;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ordered {@code access} rules: the first rule that matches a request decides it; a request that
 * no rule matches is allowed (the client is already one that {@code clients.allow} lets in). A pure
 * function of the request and the local time, so tables can test it.
 *
 * <p>A rule matches when every criterion it states matches: destination domains (exact or {@code
 * *.wildcard}, the same patterns as {@code balance.pin}), client networks, methods, destination ports,
 * CONNECT or plain, URL regular expressions (plain HTTP only) and a time window. An absent criterion
 * matches everything.
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

  /** What a rule can look at in a request. {@code url} is null for CONNECT. */
  public record Request(InetAddress client, String method, String host, int port, boolean connect,
      String url) {}

  private record Rule(String name, String action, List<DomainPattern> domains, List<Cidr> clients,
      List<String> methods, List<Integer> ports, Optional<Boolean> connect, List<Pattern> urls,
      Optional<TimeWindow> time, Optional<String> redirect) {
    boolean matches(Request r, LocalDateTime now) {
      return (domains.isEmpty() || domains.stream().anyMatch(d -> d.matches(r.host())))
          && (clients.isEmpty() || clients.stream().anyMatch(c -> c.contains(r.client())))
          && (methods.isEmpty() || methods.contains(r.method()))
          && (ports.isEmpty() || ports.contains(r.port()))
          && connect.map(c -> c == r.connect()).orElse(true)
          && (urls.isEmpty() || (r.url() != null && urls.stream().anyMatch(u -> u.matcher(r.url()).find())))
          && time.map(w -> w.contains(now)).orElse(true);
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
            c.domains().stream().map(DomainPattern::parse).toList(), c.clients(), c.methods(),
            c.ports(), c.connect(), c.urlRegex().stream().map(Pattern::compile).toList(),
            c.time().map(TimeWindow::parse), c.redirect()))
        .toList());
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Decides a request at local time {@code now}. */
  public Decision decide(Request request, LocalDateTime now) {
    for (Rule r : rules) {
      if (!r.matches(request, now)) {
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
