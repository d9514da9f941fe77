package gateway.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import gateway.core.net.HostPort;
import gateway.core.net.ProbeTarget;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code uplinks}: each entry, with names and addresses unique. */
final class UplinksBinder {
  static final int UPLINK_WEIGHT = 1;
  static final int UPLINK_TIER = 1;
  static final int MAX_WEIGHT = 1000;
  static final int MAX_TIER = 100;

  private final Readers r;

  /**
   * Names written in {@code uplinks}, also of entries with other problems: pins are checked against
   * them.
   */
  private final Set<String> names = new LinkedHashSet<>();

  UplinksBinder(Readers r) {
    this.r = r;
  }

  Set<String> names() {
    return names;
  }

  List<UplinkConfig> bind(ConfigObject root) {
    return r.tree().required(root, "", "uplinks", this::uplinks, List.of());
  }

  private List<UplinkConfig> uplinks(ConfigValue value, String path) {
    List<ConfigObject> entries = r.tree().objects(value, path);
    if (entries == null) {
      return null;
    }
    ConfigTree t = r.tree();
    List<UplinkConfig> out = new ArrayList<>();
    UniqueNames<String> uniqueNames = new UniqueNames<>(r.problems());
    UniqueNames<InetAddress> uniqueAddresses = new UniqueNames<>(r.problems());
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject u = entries.get(i);
      String p = path + "[" + i + "]";
      String name = t.required(u, p, "name", r.values().nonEmptyString(), null);
      InetAddress address = t.required(u, p, "address", r.net()::ipLiteral, null);
      Optional<String> iface = t.optional(u, p, "interface", r.values().nonEmptyString());
      int weight = t.orDefault(u, p, "weight", r.values().intIn(1, MAX_WEIGHT), UPLINK_WEIGHT);
      int tier = t.orDefault(u, p, "tier", r.values().intIn(1, MAX_TIER), UPLINK_TIER);
      boolean ifaceOptional = t.orDefault(u, p, "interface-optional", r.values()::bool, false);
      List<ProbeTarget> healthTargets =
          t.orDefault(u, p, "health-targets", t.listOf(r.net()::probeTarget), List.of());
      List<HostPort> dns = t.orDefault(u, p, "dns", t.listOf(r.net()::dnsServer), List.of());
      long maxRate = t.orDefault(u, p, "max-rate", r.values()::rate, 0L);
      long maxUploadRate = t.orDefault(u, p, "max-upload-rate", r.values()::rate, 0L);
      if (name != null) {
        names.add(name);
        uniqueNames.claim(
            name,
            ConfigTree.get(u, "name"),
            first -> p + ".name: uplink '" + name + "' is already defined at line " + first);
      }
      if (address != null) {
        uniqueAddresses.claim(
            address,
            ConfigTree.get(u, "address"),
            first ->
                p
                    + ".address: "
                    + address.getHostAddress()
                    + " is already the address of the uplink at line "
                    + first);
      }
      if (name != null && address != null) {
        out.add(
            new UplinkConfig(
                name,
                address,
                iface,
                weight,
                tier,
                ifaceOptional,
                healthTargets,
                dns,
                maxRate,
                maxUploadRate));
      }
    }
    return out;
  }
}
