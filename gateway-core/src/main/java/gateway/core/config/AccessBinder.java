package gateway.core.config;

import static gateway.core.config.ConfigTree.get;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.access.TimeWindow;
import gateway.core.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * {@code access}: the rules, names unique; criteria decided after DNS or at the response only in
 * deny rules, a redirect URL exactly with {@code action = redirect}.
 */
final class AccessBinder {
  private final Readers r;
  private final ClientsBinder clients;

  AccessBinder(Readers r, ClientsBinder clients) {
    this.r = r;
    this.clients = clients;
  }

  List<AccessRuleConfig> bind(ConfigObject root) {
    return r.tree().required(root, "", "access", this::rules, List.of());
  }

  private List<AccessRuleConfig> rules(ConfigValue value, String path) {
    List<ConfigObject> entries = r.tree().objects(value, path);
    if (entries == null) {
      return null;
    }
    List<AccessRuleConfig> out = new ArrayList<>();
    UniqueNames<String> names = new UniqueNames<>(r.problems());
    for (int i = 0; i < entries.size(); i++) {
      AccessRuleConfig rule = rule(entries.get(i), path + "[" + i + "]", names);
      if (rule != null) {
        out.add(rule);
      }
    }
    return out;
  }

  private AccessRuleConfig rule(ConfigObject a, String p, UniqueNames<String> names) {
    ConfigTree t = r.tree();
    ValueReaders v = r.values();
    String name = t.required(a, p, "name", v.nonEmptyString(), null);
    AccessAction action = t.required(a, p, "action", this::action, null);
    List<String> domains =
        t.orDefault(a, p, "domains", t.listOf(r.net().domainPattern("destinations")), List.of());
    Optional<TimeWindow> time = t.optional(a, p, "time", this::timeWindow);
    Optional<String> redirect = t.optional(a, p, "redirect", r.net()::httpUrl);
    List<Cidr> clientNets =
        t
            .orDefault(a, p, "clients", t.listOf(clients::cidrsOrGroup), List.<List<Cidr>>of())
            .stream()
            .flatMap(List::stream)
            .toList();
    List<String> methods = t.orDefault(a, p, "methods", t.listOf(this::method), List.of());
    List<Integer> ports = t.orDefault(a, p, "ports", t.listOf(v.intIn(1, 65535)), List.of());
    Optional<Boolean> connect = t.optional(a, p, "connect", v::bool);
    List<Regex> urlRegex = t.orDefault(a, p, "url-regex", t.listOf(regex(Regex::parse)), List.of());
    List<Regex> domainRegex =
        t.orDefault(a, p, "domain-regex", t.listOf(regex(Regex::parseIgnoringCase)), List.of());
    List<String> contentTypes =
        t.orDefault(a, p, "content-types", t.listOf(this::mediaRange), List.of());
    Optional<Long> maxSize = t.optional(a, p, "max-size", v.size(0, Long.MAX_VALUE));
    List<Cidr> destinations = t.orDefault(a, p, "destinations", t.listOf(r.net()::cidr), List.of());
    checkWhenDecided(a, p, action);
    if (name != null) {
      names.claim(
          name,
          get(a, "name"),
          first -> p + ".name: access rule '" + name + "' is already defined at line " + first);
    }
    if (action == AccessAction.REDIRECT && get(a, "redirect") == null) {
      r.problems().add(a.origin(), p + ": action = redirect needs a 'redirect' URL");
    }
    if (action != null && action != AccessAction.REDIRECT && get(a, "redirect") != null) {
      r.problems()
          .add(
              get(a, "redirect").origin(),
              p
                  + ".redirect: only used with action = redirect, this rule's action is "
                  + action.configName());
    }
    if (name == null || action == null) {
      return null;
    }
    return new AccessRuleConfig(
        name,
        action,
        domains,
        time,
        redirect,
        clientNets,
        methods,
        ports,
        connect,
        urlRegex,
        domainRegex,
        contentTypes,
        maxSize.map(OptionalLong::of).orElse(OptionalLong.empty()),
        destinations);
  }

  /** Criteria known only after DNS or at the response leave nothing to do but deny. */
  private void checkWhenDecided(ConfigObject a, String p, AccessAction action) {
    boolean onResponse = get(a, "content-types") != null || get(a, "max-size") != null;
    if (action != null && action != AccessAction.DENY && get(a, "destinations") != null) {
      r.problems()
          .add(
              get(a, "destinations").origin(),
              p
                  + ": destinations are known only after DNS, just before connecting, when the only thing"
                  + " left to do is deny: they need action = deny, this rule's action is "
                  + action.configName());
    }
    if (get(a, "destinations") != null && onResponse) {
      r.problems()
          .add(
              get(a, "destinations").origin(),
              p
                  + ": destinations (decided before connecting)"
                  + " and content-types or max-size (decided at the response) cannot share a rule:"
                  + " write two rules");
    }
    if (action != null && action != AccessAction.DENY && onResponse) {
      r.problems()
          .add(
              get(a, get(a, "content-types") != null ? "content-types" : "max-size").origin(),
              p
                  + ": content-types and max-size are known only once the response comes, when the only"
                  + " thing left to do is deny it: they need action = deny, this rule's action is "
                  + action.configName());
    }
  }

  /**
   * A request method: an HTTP token, kept upper case (methods are case-sensitive; rules say GET).
   */
  private String method(ConfigValue value, String path) {
    String s = r.values().string(value, path);
    if (s == null) {
      return null;
    }
    if (s.isEmpty()
        || !s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) {
      r.problems()
          .add(
              value.origin(),
              path + ": '" + s + "' is not a request method (e.g. GET, POST, CONNECT)");
      return null;
    }
    return s.toUpperCase(Locale.ROOT);
  }

  private AccessAction action(ConfigValue value, String path) {
    String s = r.values().oneOf(AccessAction.configNames(), "action").read(value, path);
    return s == null ? null : AccessAction.named(s).orElseThrow();
  }

  /** A Java regular expression, compiled now so a bad one is reported with its line. */
  private ValueReader<Regex> regex(Function<String, Regex> compile) {
    return (value, path) -> parsed(value, path, compile);
  }

  /** An access rule's {@code time}, e.g. {@code mon-fri 08:00-16:00}. */
  private TimeWindow timeWindow(ConfigValue value, String path) {
    return parsed(value, path, TimeWindow::parse);
  }

  /**
   * A string {@code parse} turns into a value, or refuses with an IllegalArgumentException saying
   * why.
   */
  private <T> T parsed(ConfigValue value, String path, Function<String, T> parse) {
    String s = r.values().string(value, path);
    if (s == null) {
      return null;
    }
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      r.problems().add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  /** A media range as in Accept: {@code video/mp4}, {@code video/*}; kept lower case. */
  private String mediaRange(ConfigValue value, String path) {
    String s = r.values().string(value, path);
    if (s == null) {
      return null;
    }
    String t = s.trim().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    boolean ok =
        slash > 0
            && slash < t.length() - 1
            && t.indexOf('/', slash + 1) < 0
            && !t.substring(0, slash).contains("*")
            && (t.substring(slash + 1).equals("*") || !t.substring(slash + 1).contains("*"))
            && t.chars().allMatch(c -> c > ' ' && c != ';' && c != ',');
    if (!ok) {
      r.problems()
          .add(
              value.origin(),
              path
                  + ": '"
                  + s
                  + "' is not a content type (write type/subtype or type/*, e.g. video/*, application/zip)");
      return null;
    }
    return t;
  }
}
