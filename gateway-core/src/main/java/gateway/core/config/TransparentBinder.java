package gateway.core.config;

import static gateway.core.config.ConfigTree.get;
import static gateway.core.config.ConfigTree.render;
import static gateway.core.config.ConfigTree.scalarText;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gateway.core.net.HostPort;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code transparent}: interception on or off, the ports ({@code all} or a list), QUIC blocking
 * (following {@code enabled} unless written), the transparent listener's port, and the bounds of
 * the ClientHello read. Bind after {@code listen} and {@code admin}: the listener's port must
 * differ from theirs.
 */
final class TransparentBinder {
  private static final Duration MAX_SNI_TIMEOUT = Duration.ofSeconds(60);

  private final Readers r;

  TransparentBinder(Readers r) {
    this.r = r;
  }

  /**
   * @param root the whole tree, for the origins of {@code listen} and {@code admin.listen}
   * @param listen the proxy's bound address ({@code listen})
   * @param adminListen the admin listener's ({@code admin.listen})
   */
  TransparentConfig bind(ConfigObject root, HostPort listen, HostPort adminListen) {
    ConfigTree tree = r.tree();
    ConfigObject t = tree.section(root, "", "transparent");
    TransparentConfig d = TransparentConfig.DISABLED;
    boolean enabled = tree.required(t, "transparent", "enabled", r.values()::bool, false);
    Set<Integer> ports = tree.required(t, "transparent", "ports", this::ports, Set.of());
    boolean blockQuic =
        tree.optional(t, "transparent", "block-quic", r.values()::bool).orElse(enabled);
    int listenPort =
        tree.required(t, "transparent", "listen-port", r.values().intIn(1, 65535), d.listenPort());
    Duration sniTimeout =
        tree.required(t, "transparent", "sni-timeout", this::sniTimeout, d.sniTimeout());
    long sniMax =
        tree.required(
            t, "transparent", "sni-max", r.values().size(1024, 64 * 1024), (long) d.sniMax());
    if (enabled && t != null) {
      // The ruleset sends every intercepted SYN to this port: sharing it would feed the proxy or
      // the admin listener connections that never asked for them.
      ConfigValue written = get(t, "listen-port");
      distinct(
          written, listenPort, listen.port(), get(root, "listen"), "the proxy's port (listen)");
      ConfigObject admin = tree.section(root, "", "admin");
      distinct(
          written,
          listenPort,
          adminListen.port(),
          admin == null ? null : get(admin, "listen"),
          "the admin port (admin.listen)");
    }
    return new TransparentConfig(enabled, ports, blockQuic, listenPort, sniTimeout, (int) sniMax);
  }

  /** {@code all} (empty: every port) or a list of distinct ports 1..65535. */
  private Set<Integer> ports(ConfigValue value, String path) {
    if (value.valueType() != ConfigValueType.LIST) {
      String s = scalarText(value);
      if (s != null && s.trim().equals("all")) {
        return Set.of();
      }
      r.problems()
          .add(
              value.origin(),
              path + ": " + render(value) + " is not all or a list of ports (e.g. [80, 443])");
      return null;
    }
    ConfigList list = (ConfigList) value;
    if (list.isEmpty()) {
      r.problems()
          .add(
              value.origin(),
              path
                  + ": an empty list intercepts nothing: write all, the ports,"
                  + " or transparent.enabled = false");
      return null;
    }
    Set<Integer> out = new TreeSet<>();
    UniqueNames<Integer> seen = new UniqueNames<>(r.problems());
    ValueReader<Integer> port = r.values().intIn(1, 65535);
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      Integer n = port.read(list.get(i), p);
      if (n != null
          && seen.claim(
              n, list.get(i), first -> p + ": port " + n + " is already at line " + first)) {
        out.add(n);
      }
    }
    return out;
  }

  private Duration sniTimeout(ConfigValue value, String path) {
    Duration d = r.values().duration(false).read(value, path);
    if (d != null && d.compareTo(MAX_SNI_TIMEOUT) > 0) {
      r.problems()
          .add(value.origin(), path + ": must be at most 60s, is '" + scalarText(value) + "'");
      return null;
    }
    return d;
  }

  /**
   * One problem when {@code port} is {@code other}'s: at the written {@code listen-port}, or at the
   * other key when {@code listen-port} is the default (the admin wrote only the other).
   */
  private void distinct(
      ConfigValue written, int port, int other, ConfigValue otherValue, String what) {
    if (port != other) {
      return;
    }
    boolean defaulted = written == null || written.origin().resource() != null;
    ConfigValue blamed = defaulted && otherValue != null ? otherValue : written;
    ConfigOrigin at = blamed == null ? null : blamed.origin();
    r.problems()
        .add(
            at,
            "transparent.listen-port: "
                + port
                + " is "
                + what
                + ": the transparent listener needs a port of its own");
  }
}
