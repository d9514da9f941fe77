package gateway.core.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a gateway config may contain, and the check that flags every other key in the admin's
 * file (Typesafe's {@code checkValid} does not). A near miss gets a suggestion: {@code intervall}
 * and {@code downAfter} are probably {@code interval} and {@code down-after}; a known key written
 * at the wrong level is pointed to its place ({@code interval} at the top is probably {@code
 * health.interval}).
 */
final class KnownKeys {

  private sealed interface Shape permits Leaf, Section, ListOf {}

  private record Leaf() implements Shape {}

  private record Section(Map<String, Shape> keys) implements Shape {}

  /** A list whose elements are sections, e.g. {@code uplinks = [ { name = isp1, ... } ]}. */
  private record ListOf(Section element) implements Shape {}

  private static final Leaf LEAF = new Leaf();

  static final Section ROOT =
      section(
          "listen", LEAF,
          "clients",
              section("allow", LEAF, "groups", new ListOf(section("name", LEAF, "networks", LEAF))),
          "uplinks",
              new ListOf(
                  section(
                      "name",
                      LEAF,
                      "address",
                      LEAF,
                      "interface",
                      LEAF,
                      "weight",
                      LEAF,
                      "tier",
                      LEAF,
                      "interface-optional",
                      LEAF,
                      "health-targets",
                      LEAF,
                      "dns",
                      LEAF,
                      "max-rate",
                      LEAF,
                      "max-upload-rate",
                      LEAF)),
          "balance",
              section(
                  "classifier",
                  LEAF,
                  "pin",
                  new ListOf(
                      section(
                          "domains", LEAF, "networks", LEAF, "uplink", LEAF, "classifier", LEAF))),
          "health",
              section(
                  "targets",
                  LEAF,
                  "interval",
                  LEAF,
                  "timeout",
                  LEAF,
                  "down-after",
                  LEAF,
                  "up-after",
                  LEAF,
                  "reliability",
                  LEAF,
                  "degraded",
                  section("loss", LEAF, "rtt", LEAF)),
          "cache",
              section(
                  "memory",
                  LEAF,
                  "disk",
                  section("path", LEAF, "size", LEAF),
                  "max-object-size",
                  LEAF),
          "connect", section("ports", LEAF),
          "access",
              new ListOf(
                  section(
                      "name",
                      LEAF,
                      "action",
                      LEAF,
                      "domains",
                      LEAF,
                      "time",
                      LEAF,
                      "redirect",
                      LEAF,
                      "clients",
                      LEAF,
                      "methods",
                      LEAF,
                      "ports",
                      LEAF,
                      "connect",
                      LEAF,
                      "url-regex",
                      LEAF,
                      "domain-regex",
                      LEAF,
                      "content-types",
                      LEAF,
                      "max-size",
                      LEAF,
                      "destinations",
                      LEAF)),
          "log", section("access", LEAF, "access-queue", LEAF),
          "admin", section("listen", LEAF, "token", LEAF),
          "pac", section("direct-fallback", LEAF),
          "timeouts",
              section("connect", LEAF, "request-header", LEAF, "response", LEAF, "idle", LEAF),
          "limits",
              section(
                  "request-line",
                  LEAF,
                  "header-block",
                  LEAF,
                  "headers",
                  LEAF,
                  "client-connections",
                  LEAF,
                  "client-download",
                  LEAF,
                  "client-upload",
                  LEAF,
                  "groups",
                  new ListOf(
                      section(
                          "group",
                          LEAF,
                          "client-connections",
                          LEAF,
                          "client-download",
                          LEAF,
                          "client-upload",
                          LEAF,
                          "group-download",
                          LEAF,
                          "group-upload",
                          LEAF))),
          "shutdown", section("drain", LEAF),
          "dns", section("servers", LEAF),
          "transparent",
              section(
                  "enabled",
                  LEAF,
                  "ports",
                  LEAF,
                  "block-quic",
                  LEAF,
                  "listen-port",
                  LEAF,
                  "sni-timeout",
                  LEAF,
                  "sni-max",
                  LEAF),
          "firewall", LEAF);

  private KnownKeys() {}

  /**
   * Reports each key of {@code fileRoot} that is not a gateway key. Values are checked elsewhere.
   */
  static void checkUnknown(ConfigObject fileRoot, Problems problems) {
    walk(fileRoot, ROOT, "", problems);
  }

  private static void walk(ConfigObject object, Section shape, String path, Problems problems) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = e.getKey();
      ConfigValue value = e.getValue();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Shape known = shape.keys().get(key);
      if (known == null) {
        problems.add(value.origin(), "unknown key '" + keyPath + "'" + suggestion(key, shape));
      } else if (known instanceof Section s && value.valueType() == ConfigValueType.OBJECT) {
        walk((ConfigObject) value, s, keyPath, problems);
      } else if (known instanceof ListOf l && value.valueType() == ConfigValueType.LIST) {
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i).valueType() == ConfigValueType.OBJECT) {
            walk((ConfigObject) list.get(i), l.element(), keyPath + "[" + i + "]", problems);
          }
        }
      }
    }
  }

  /**
   * Every key outside list elements, as a path: {@code listen}, {@code health.degraded.loss}, ...
   */
  static List<String> paths() {
    List<String> out = new ArrayList<>();
    leaves(ROOT, "", out);
    return out;
  }

  private static void leaves(Section section, String path, List<String> out) {
    section
        .keys()
        .forEach(
            (key, shape) -> {
              String p = path.isEmpty() ? key : path + "." + key;
              if (shape instanceof Section s) {
                leaves(s, p, out);
              } else {
                out.add(p);
              }
            });
  }

  private static String suggestion(String key, Section siblings) {
    return closest(key, List.copyOf(siblings.keys().keySet()))
        .or(() -> elsewhere(key))
        .map(k -> " (did you mean '" + k + "'?)")
        .orElse("");
  }

  /**
   * The known name nearest to {@code word}, if it is a near miss (a typo, or camelCase for
   * kebab-case).
   */
  static Optional<String> closest(String word, List<String> known) {
    String w = normalize(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(w, normalize(k));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = w.length() <= 4 ? 1 : 2;
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** A key known at another level of the tree, written where it does not belong. */
  private static Optional<String> elsewhere(String key) {
    List<String> paths = new ArrayList<>();
    collect(ROOT, "", key, paths);
    return paths.size() == 1 ? Optional.of(paths.get(0)) : Optional.empty();
  }

  private static void collect(Section section, String path, String key, List<String> out) {
    for (Map.Entry<String, Shape> e : section.keys().entrySet()) {
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (!path.isEmpty() && e.getKey().equals(key)) {
        out.add(p);
      }
      if (e.getValue() instanceof Section s) {
        collect(s, p, key, out);
      }
    }
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Section section(Object... keysAndShapes) {
    Map<String, Shape> keys = new LinkedHashMap<>();
    for (int i = 0; i < keysAndShapes.length; i += 2) {
      keys.put((String) keysAndShapes[i], (Shape) keysAndShapes[i + 1]);
    }
    return new Section(keys);
  }
}
