package gateway.proxy.access;

import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import gateway.core.net.DomainPattern;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The ordered {@code access} rules: the first rule that matches a request decides it; a request
 * that no rule matches is allowed (the client is already one that {@code clients.allow} lets in). A
 * pure function of the request and the local time, so tables can test it.
 *
 * <p>A rule matches when every criterion it states matches: destination domains (exact or {@code
 * *.wildcard}, the same patterns as {@code balance.pin}), domain regular expressions, client
 * networks (client groups are expanded to theirs by the config loader), methods, destination ports,
 * CONNECT or plain, URL regular expressions (plain HTTP only, over the URL normalised by {@link
 * RuleUrl}), a time window and the networks of the origin's address. An absent criterion matches
 * everything.
 *
 * <p>Rules on the origin's address ({@code destinations}) are deny rules that can only be decided
 * once DNS answered, just before connecting: {@link #decide} passes over them while the address is
 * not known (a request to an IP literal knows it at once), and {@link #decideAtDestination} checks
 * those of them that come before the rule that decided the request.
 *
 * <p>Rules on the response (content types, a largest size) are deny rules that can only be decided
 * when the response head of a plain HTTP request comes: {@link #decide} passes over them, and
 * {@link #decideAtResponse} checks those of them that come before the rule that decided the
 * request.
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

  /**
   * What a rule can look at in a request. {@code url} is null for CONNECT; {@code destination}, the
   * origin's address, is null until DNS answered (or the host is an IP literal).
   */
  public record Request(
      InetAddress client,
      String method,
      String host,
      int port,
      boolean connect,
      String url,
      InetAddress destination) {

    /** The URL is kept normalised ({@link RuleUrl}): that is what url-regex rules see. */
    public Request {
      url = url == null ? null : RuleUrl.normalise(url);
    }

    /** A request whose origin address is not known yet. */
    public Request(
        InetAddress client, String method, String host, int port, boolean connect, String url) {
      this(client, method, host, port, connect, url, null);
    }

    /** The same request, its origin now known to be at {@code address}. */
    public Request at(InetAddress address) {
      return new Request(client, method, host, port, connect, url, address);
    }
  }

  /** What a response rule can look at in a response head; {@code contentLength} -1 when unknown. */
  public record Response(String contentType, long contentLength) {}

  private record Rule(
      String name,
      AccessAction action,
      List<DomainPattern> domains,
      List<Cidr> clients,
      List<String> methods,
      List<Integer> ports,
      Optional<Boolean> connect,
      List<Regex> urls,
      Optional<TimeWindow> time,
      Optional<String> redirect,
      List<Regex> domainRegex,
      List<String> contentTypes,
      long maxSize,
      List<Cidr> destinations) {
    boolean onResponse() {
      return !contentTypes.isEmpty() || maxSize >= 0;
    }

    boolean afterDns() {
      return !destinations.isEmpty();
    }

    boolean matches(Request r, Response response) {
      if (r.connect() || response == null) {
        return false;
      }
      return (contentTypes.isEmpty()
              || contentTypes.stream().anyMatch(t -> mediaTypeMatches(t, response.contentType())))
          && (maxSize < 0 || response.contentLength() > maxSize);
    }

    boolean matches(Request r, LocalDateTime now) {
      return (domains.isEmpty() || domains.stream().anyMatch(d -> d.matches(r.host())))
          && (domainRegex.isEmpty() || domainRegex.stream().anyMatch(d -> d.foundIn(r.host())))
          && matchesBesidesName(r, now);
    }

    boolean onName() {
      return !domains.isEmpty() || !domainRegex.isEmpty();
    }

    /** Every criterion but the destination's name. */
    boolean matchesBesidesName(Request r, LocalDateTime now) {
      return (clients.isEmpty() || clients.stream().anyMatch(c -> c.contains(r.client())))
          && (methods.isEmpty() || methods.contains(r.method()))
          && (ports.isEmpty() || ports.contains(r.port()))
          && connect.map(c -> c == r.connect()).orElse(true)
          && (urls.isEmpty()
              || (r.url() != null && urls.stream().anyMatch(u -> u.foundIn(r.url()))))
          && time.map(w -> w.contains(now)).orElse(true)
          && (destinations.isEmpty()
              || (r.destination() != null
                  && destinations.stream().anyMatch(c -> c.contains(r.destination()))));
    }
  }

  private static final Allow NO_RULE = new Allow(Optional.empty());

  private final List<Rule> rules;
  private final boolean anyOnResponse;
  private final boolean anyAfterDns;

  private AccessRules(List<Rule> rules) {
    this.rules = rules;
    this.anyOnResponse = rules.stream().anyMatch(Rule::onResponse);
    this.anyAfterDns = rules.stream().anyMatch(Rule::afterDns);
  }

  /** The rules of the config, whose values the config loader has already bound to their types. */
  public static AccessRules of(List<AccessRuleConfig> configs) {
    return new AccessRules(
        configs.stream()
            .map(
                c ->
                    new Rule(
                        c.name(),
                        c.action(),
                        c.domains().stream().map(DomainPattern::parse).toList(),
                        c.clients(),
                        c.methods(),
                        c.ports(),
                        c.connect(),
                        c.urlRegex(),
                        c.time(),
                        c.redirect(),
                        c.domainRegex(),
                        c.contentTypes(),
                        c.maxSize().orElse(-1),
                        c.destinations()))
            .toList());
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Whether some rule looks at responses: only then is {@link #decideAtResponse} needed. */
  public boolean hasResponseRules() {
    return anyOnResponse;
  }

  /**
   * Whether some rule looks at the origin's address: only then is {@link #decideAtDestination}
   * needed.
   */
  public boolean hasDestinationRules() {
    return anyAfterDns;
  }

  /**
   * Decides a request at local time {@code now}, by the rules that need no response (rules on the
   * response are left to {@link #decideAtResponse}, rules on the origin's address, while it is not
   * known, to {@link #decideAtDestination}).
   */
  public Decision decide(Request request, LocalDateTime now) {
    for (Rule r : rules) {
      if (r.onResponse()
          || (r.afterDns() && request.destination() == null)
          || !r.matches(request, now)) {
        continue;
      }
      return switch (r.action()) {
        case DENY -> new Deny(r.name());
        case REDIRECT -> new Redirect(r.name(), r.redirect().orElseThrow());
        case ALLOW -> new Allow(Optional.of(r.name()));
      };
    }
    return NO_RULE;
  }

  /**
   * The destination rule that denies an allowed {@code request} now that its origin's address is
   * known ({@code request.destination()}, the address about to be connected), if any: the first
   * among the rules before the one that decided the request. {@code requestTime}: the local time
   * the request came.
   */
  public Optional<Deny> decideAtDestination(Request request, LocalDateTime requestTime) {
    if (!anyAfterDns || request.destination() == null) {
      return Optional.empty();
    }
    for (Rule r : rules) {
      if (r.onResponse() || !r.matches(request, requestTime)) {
        continue;
      }
      return r.afterDns() ? Optional.of(new Deny(r.name())) : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The rule that could deny {@code request} whatever its destination's name: for a connection
   * whose name is not known (an intercepted TLS hello that could not be read), which must not pass
   * a deny rule on names by hiding it. The first rule, in order, that decides the request by its
   * other criteria, or that names domains and would deny it were its name one of them; none when a
   * rule that does not look at names allows it first. Redirects count as denies (a tunnel cannot be
   * redirected).
   */
  public Optional<Deny> denyForUnknownName(Request request, LocalDateTime now) {
    for (Rule r : rules) {
      if (r.onResponse()
          || (r.afterDns() && request.destination() == null)
          || !r.matchesBesidesName(request, now)) {
        continue;
      }
      if (r.action() != AccessAction.ALLOW) {
        return Optional.of(new Deny(r.name()));
      }
      if (!r.onName()) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The response rule that denies {@code response} to an allowed {@code request} (at the local time
   * the request came, {@code requestTime}), if any: the first among the rules before the one that
   * decided the request. A tunnel's responses are never known.
   */
  public Optional<Deny> decideAtResponse(
      Request request, Response response, LocalDateTime requestTime) {
    if (!anyOnResponse || request.connect()) {
      return Optional.empty();
    }
    for (Rule r : rules) {
      if (!r.matches(request, requestTime)) {
        continue;
      }
      if (!r.onResponse()) {
        return Optional.empty();
      }
      if (r.matches(request, response)) {
        return Optional.of(new Deny(r.name()));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a media range ({@code video/*}, {@code video/mp4}) covers a Content-Type header value
   * ({@code video/MP4; codecs="avc1"}); RFC 9110 8.3.1: type and subtype are case-insensitive.
   */
  static boolean mediaTypeMatches(String range, String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    if (range.endsWith("/*")) {
      String prefix = range.substring(0, range.length() - 1);
      return type.regionMatches(true, 0, prefix, 0, prefix.length());
    }
    return type.equalsIgnoreCase(range);
  }
}
