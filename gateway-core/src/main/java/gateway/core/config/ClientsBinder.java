package gateway.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import gateway.core.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clients}: {@code allow} and the named {@code groups}, which access rules and limits name
 * afterwards (bind this section first).
 */
final class ClientsBinder {
  private final Readers r;

  /** {@code clients.groups} by name. */
  private final Map<String, List<Cidr>> groups = new LinkedHashMap<>();

  ClientsBinder(Readers r) {
    this.r = r;
  }

  List<Cidr> allow(ConfigObject clients) {
    return r.tree()
        .required(clients, "clients", "allow", r.tree().listOf(r.net()::cidr), List.of());
  }

  List<ClientGroupConfig> groups(ConfigObject clients) {
    return r.tree().required(clients, "clients", "groups", this::groups, List.of());
  }

  private List<ClientGroupConfig> groups(ConfigValue value, String path) {
    List<ConfigObject> entries = r.tree().objects(value, path);
    if (entries == null) {
      return null;
    }
    List<ClientGroupConfig> out = new ArrayList<>();
    UniqueNames<String> names = new UniqueNames<>(r.problems());
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject g = entries.get(i);
      String p = path + "[" + i + "]";
      String name = r.tree().required(g, p, "name", r.values().nonEmptyString(), null);
      List<Cidr> networks =
          r.tree().required(g, p, "networks", r.tree().listOf(r.net()::cidr), List.of());
      if (name != null
          && names.claim(
              name,
              ConfigTree.get(g, "name"),
              first ->
                  p + ".name: client group '" + name + "' is already defined at line " + first)) {
        groups.put(name, networks);
        out.add(new ClientGroupConfig(name, networks));
      }
    }
    return out;
  }

  /** The name of a {@code clients.groups} entry. */
  String groupName(ConfigValue value, String path) {
    String s = r.values().string(value, path);
    if (s == null) {
      return null;
    }
    if (!groups.containsKey(s)) {
      r.problems()
          .add(
              value.origin(),
              path
                  + ": unknown client group '"
                  + s
                  + "' ("
                  + (groups.isEmpty()
                      ? "clients.groups defines none"
                      : "clients.groups: " + String.join(", ", groups.keySet()))
                  + ")");
      return null;
    }
    return s;
  }

  /**
   * An access rule's client: an address or CIDR, or the name of a client group (its networks). A
   * name is told from an address by its first character: addresses start with a digit or hold a
   * colon.
   */
  List<Cidr> cidrsOrGroup(ConfigValue value, String path) {
    String s = r.values().string(value, path);
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.contains(":"))) {
      Cidr c = r.net().cidr(value, path);
      return c == null ? null : List.of(c);
    }
    String group = groupName(value, path);
    return group == null ? null : groups.get(group);
  }
}
