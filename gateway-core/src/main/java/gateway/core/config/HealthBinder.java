package gateway.core.config;

import static gateway.core.config.ConfigTree.get;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gateway.core.net.ProbeTarget;
import java.time.Duration;
import java.util.List;

/** {@code health}: probe targets, timing, and how many rounds in a row change an uplink's state. */
final class HealthBinder {
  private HealthBinder() {}

  static HealthConfig bind(Readers r, ConfigObject h) {
    ConfigTree t = r.tree();
    ValueReaders v = r.values();
    String p = "health";
    List<ProbeTarget> targets =
        t.required(h, p, "targets", t.listOf(r.net()::probeTarget), List.of());
    ConfigValue targetsValue = get(h, "targets");
    int written =
        targetsValue != null && targetsValue.valueType() == ConfigValueType.LIST
            ? ((ConfigList) targetsValue).size()
            : -1;
    if (written == 0) {
      r.problems()
          .add(targetsValue.origin(), "health.targets: at least one probe target is needed");
    }
    int reliability = t.required(h, p, "reliability", v.intIn(1, Integer.MAX_VALUE), 1);
    if (written > 0 && reliability > written) {
      r.problems()
          .add(
              get(h, "reliability").origin(),
              "health.reliability: "
                  + reliability
                  + " targets must answer, but health.targets has only "
                  + written);
    }
    ConfigObject degraded = t.section(h, p, "degraded");
    return new HealthConfig(
        targets,
        t.required(h, p, "interval", v.duration(false), Duration.ZERO),
        t.required(h, p, "timeout", v.duration(false), Duration.ZERO),
        t.required(h, p, "down-after", v.intIn(1, Integer.MAX_VALUE), 1),
        t.required(h, p, "up-after", v.intIn(1, Integer.MAX_VALUE), 1),
        reliability,
        t.optional(degraded, "health.degraded", "loss", v::percent),
        t.optional(degraded, "health.degraded", "rtt", v.duration(false)));
  }
}
