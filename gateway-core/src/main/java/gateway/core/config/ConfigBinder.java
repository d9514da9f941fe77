package gateway.core.config;

import com.typesafe.config.ConfigObject;
import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds a merged, resolved config tree to {@link GatewayConfig}, section by section, converting and
 * checking every value and reporting every problem to {@link Problems} with the value's origin. A
 * value that fails is replaced by a placeholder so that binding goes on and finds the next problem;
 * the caller throws when any was found. Messages start with the key path, e.g. {@code
 * uplinks[1].weight: must be at least 1, is 0}.
 *
 * <p>Sections are bound in the order of the file's documentation; {@code clients} before {@code
 * access} and {@code limits} (which name its groups), {@code uplinks} before {@code balance} (whose
 * pins name uplinks).
 */
final class ConfigBinder {
  private static final HostPort NO_ADDRESS = new HostPort("0.0.0.0", 0);

  private final Readers r;

  ConfigBinder(Problems problems) {
    this.r = Readers.reportingTo(problems);
  }

  GatewayConfig bind(ConfigObject root, String source) {
    ConfigTree t = r.tree();
    HostPort listen = t.required(root, "", "listen", r.net()::listenAddress, NO_ADDRESS);
    ClientsBinder clientsBinder = new ClientsBinder(r);
    ConfigObject clients = t.section(root, "", "clients");
    List<Cidr> allow = clientsBinder.allow(clients);
    List<ClientGroupConfig> clientGroups = clientsBinder.groups(clients);

    UplinksBinder uplinksBinder = new UplinksBinder(r);
    List<UplinkConfig> uplinks = uplinksBinder.bind(root);
    BalanceConfig balance =
        new BalanceBinder(r, uplinksBinder.names()).bind(t.section(root, "", "balance"));

    HealthConfig health = HealthBinder.bind(r, t.section(root, "", "health"));
    CacheConfig cache = CacheBinder.bind(r, t.section(root, "", "cache"));

    ConfigObject connect = t.section(root, "", "connect");
    Set<Integer> connectPorts =
        new LinkedHashSet<>(
            t.required(
                connect, "connect", "ports", t.listOf(r.values().intIn(1, 65535)), List.of()));

    List<AccessRuleConfig> access = new AccessBinder(r, clientsBinder).bind(root);
    LogConfig log = LogBinder.bind(r, t.section(root, "", "log"));
    AdminBinder.Admin admin = AdminBinder.bind(r, t.section(root, "", "admin"));
    PacConfig pac = PacBinder.bind(r, t.section(root, "", "pac"));
    TimeoutsConfig timeouts = TimeoutsBinder.bind(r, t.section(root, "", "timeouts"));
    LimitsConfig limits = new LimitsBinder(r, clientsBinder).bind(t.section(root, "", "limits"));
    ShutdownConfig shutdown = ShutdownBinder.bind(r, t.section(root, "", "shutdown"));

    ConfigObject dns = t.section(root, "", "dns");
    List<HostPort> dnsServers =
        t.required(dns, "dns", "servers", t.listOf(r.net()::dnsServer), List.of());
    TransparentConfig transparent = new TransparentBinder(r).bind(root, listen, admin.listen());
    FirewallMode firewall = FirewallBinder.bind(r, root);

    return new GatewayConfig(
        listen,
        allow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        admin.listen(),
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin.config(),
        pac,
        clientGroups,
        transparent,
        firewall);
  }
}
