package gateway.app;

import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import gateway.pcc.bind.DeviceBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that every uplink with an {@code interface} can really be bound to it. If not,
 * the gateway refuses to start (a socket must never silently leave through another interface),
 * unless the admin set {@code interface-optional = true}: then one WARN line says so and the uplink
 * is bound by source address only.
 */
final class UplinkDevices {
  private static final Logger log = LoggerFactory.getLogger(UplinkDevices.class);

  private UplinkDevices() {}

  /** Thrown when an interface binding is required and cannot be done. */
  static final class DeviceBindingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DeviceBindingException(String message) {
      super(message);
    }
  }

  static List<Uplink> verify(List<Uplink> uplinks, GatewayConfig config) {
    List<Uplink> out = new ArrayList<>(uplinks.size());
    for (Uplink u : uplinks) {
      if (u.interfaceName().isEmpty()) {
        out.add(u);
        continue;
      }
      String device = u.interfaceName().get();
      Optional<String> problem = DeviceBinding.check(device);
      if (problem.isEmpty()) {
        out.add(u);
        continue;
      }
      boolean optional =
          config.uplinks().stream()
              .filter(c -> c.name().equals(u.name()))
              .anyMatch(UplinkConfig::interfaceOptional);
      if (!optional) {
        throw new DeviceBindingException(
            "uplink "
                + u.name()
                + ": "
                + problem.get()
                + " (or set interface-optional = true to bind by source address only)");
      }
      log.warn(
          "uplink {}: {}; interface-optional is set, so its sockets are bound by source"
              + " address {} only",
          u.name(),
          problem.get(),
          u.address().getHostAddress());
      out.add(new Uplink(u.name(), u.address(), Optional.empty(), u.weight(), u.tier()));
    }
    return out;
  }
}
