package gateway.core.config;

import static gateway.core.config.ConfigTree.get;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import gateway.core.net.Cidr;
import gateway.core.net.ClassifierMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code balance}: the classifier and the pins, whose uplinks must be among {@code uplinks}. */
final class BalanceBinder {
  private final Readers r;
  private final Set<String> uplinkNames;

  BalanceBinder(Readers r, Set<String> uplinkNames) {
    this.r = r;
    this.uplinkNames = uplinkNames;
  }

  BalanceConfig bind(ConfigObject balance) {
    return new BalanceConfig(
        r.tree()
            .required(balance, "balance", "classifier", this::classifier, ClassifierMode.DEFAULT),
        r.tree().required(balance, "balance", "pin", r.tree().listOf(this::pin), List.of()));
  }

  private ClassifierMode classifier(ConfigValue value, String path) {
    String name = r.values().oneOf(ClassifierMode.configNames(), "classifier").read(value, path);
    return name == null ? null : ClassifierMode.named(name).orElseThrow();
  }

  private PinConfig pin(ConfigValue value, String path) {
    ConfigTree t = r.tree();
    ConfigObject o = t.object(value, path);
    if (o == null) {
      return null;
    }
    List<String> domains =
        t.orDefault(o, path, "domains", t.listOf(r.net().domainPattern("networks")), List.of());
    List<Cidr> networks = t.orDefault(o, path, "networks", t.listOf(r.net()::cidr), List.of());
    Optional<String> uplink = t.optional(o, path, "uplink", r.values().nonEmptyString());
    Optional<ClassifierMode> classifier = t.optional(o, path, "classifier", this::classifier);
    if (get(o, "domains") == null && get(o, "networks") == null) {
      r.problems().add(o.origin(), path + ": a pin needs 'domains' or 'networks' (or both)");
    }
    boolean hasUplink = get(o, "uplink") != null;
    boolean hasClassifier = get(o, "classifier") != null;
    if (hasUplink == hasClassifier) {
      r.problems().add(o.origin(), path + ": a pin needs exactly one of 'uplink' or 'classifier'");
    }
    if (uplink.isPresent() && !uplinkNames.contains(uplink.get())) {
      r.problems()
          .add(
              get(o, "uplink").origin(),
              path
                  + ".uplink: unknown uplink '"
                  + uplink.get()
                  + "' ("
                  + (uplinkNames.isEmpty()
                      ? "no uplinks are configured"
                      : "uplinks: " + String.join(", ", uplinkNames))
                  + ")");
    }
    return new PinConfig(domains, networks, uplink, classifier);
  }
}
