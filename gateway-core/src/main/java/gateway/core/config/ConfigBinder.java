package gateway.core.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gateway.core.access.TimeWindow;
import gateway.core.limit.Rate;
import gateway.core.net.Cidr;
import gateway.core.net.HostLiteral;
import gateway.core.net.HostPort;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Binds a merged, resolved config tree to {@link GatewayConfig}, converting and checking every value and
 * reporting every problem to {@link Problems} with the value's origin. A value that fails is replaced by
 * a placeholder so that binding goes on and finds the next problem; the caller throws when any was found.
 * Messages start with the key path, e.g. {@code uplinks[1].weight: must be at least 1, is 0}.
 */
final class ConfigBinder {

  /** Reads one value at {@code path}; returns null after reporting a problem. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(ConfigValue value, String path);
  }

  static final int UPLINK_WEIGHT = 1;
  static final int UPLINK_TIER = 1;
  static final int MAX_WEIGHT = 1000;
  static final int MAX_TIER = 100;
  static final List<String> ACTIONS = List.of("allow", "deny", "redirect");
  static final List<String> PROBE_SCHEMES = List.of("tcp", "http", "dns", "icmp");

  private static final HostPort NO_ADDRESS = new HostPort("0.0.0.0", 0);

  private final Problems problems;
  /** Names written in {@code uplinks}, also of entries with other problems: pins are checked against them. */
  private final Set<String> uplinkNames = new LinkedHashSet<>();
  /** {@code clients.groups} by name: access rules and limits are checked against them. */
  private final Map<String, List<Cidr>> groups = new java.util.LinkedHashMap<>();

  ConfigBinder(Problems problems) {
    this.problems = problems;
  }

  GatewayConfig bind(ConfigObject root, String source) {
    HostPort listen = required(root, "", "listen", this::listenAddress, NO_ADDRESS);
    ConfigObject clients = section(root, "", "clients");
    List<Cidr> allow = required(clients, "clients", "allow", listOf(this::cidr), List.of());
    List<ClientGroupConfig> clientGroups =
        required(clients, "clients", "groups", this::clientGroups, List.of());

    List<UplinkConfig> uplinks = required(root, "", "uplinks", this::uplinks, List.of());

    ConfigObject balanceSection = section(root, "", "balance");
    BalanceConfig balance = new BalanceConfig(
        required(balanceSection, "balance", "classifier", this::classifier, "both-addresses-and-ports"),
        required(balanceSection, "balance", "pin", listOf(this::pin), List.of()));

    HealthConfig health = health(section(root, "", "health"));
    CacheConfig cache = cache(section(root, "", "cache"));

    ConfigObject connect = section(root, "", "connect");
    Set<Integer> connectPorts =
        new LinkedHashSet<>(required(connect, "connect", "ports", listOf(intIn(1, 65535)), List.of()));

    List<AccessRuleConfig> access = required(root, "", "access", this::accessRules, List.of());

    ConfigObject logSection = section(root, "", "log");
    LogConfig log = new LogConfig(
        required(logSection, "log", "access", nonEmptyString(), "-"),
        required(logSection, "log", "access-queue", intIn(1, Integer.MAX_VALUE), 1));

    ConfigObject admin = section(root, "", "admin");
    HostPort adminListen = required(admin, "admin", "listen", this::listenAddress, NO_ADDRESS);
    Optional<String> adminToken = optional(admin, "admin", "token", this::adminToken);
    if (get(admin, "token") == null && adminListen != NO_ADDRESS && !isLoopback(adminListen.host())) {
      // The status page names clients and sites: never open to the LAN without a secret.
      problems.add(get(admin, "listen").origin(), "admin.listen: " + adminListen
          + " can be reached from other machines: set admin.token (at least "
          + AdminConfig.MIN_TOKEN_LENGTH + " characters) or listen on 127.0.0.1");
    }

    ConfigObject pacSection = section(root, "", "pac");
    PacConfig pac = new PacConfig(
        required(pacSection, "pac", "direct-fallback", this::bool, false));

    ConfigObject t = section(root, "", "timeouts");
    TimeoutsConfig timeouts = new TimeoutsConfig(
        required(t, "timeouts", "connect", duration(false), Duration.ZERO),
        required(t, "timeouts", "request-header", duration(false), Duration.ZERO),
        required(t, "timeouts", "response", duration(false), Duration.ZERO),
        required(t, "timeouts", "idle", duration(false), Duration.ZERO));

    ConfigObject l = section(root, "", "limits");
    LimitsConfig limits = new LimitsConfig(
        required(l, "limits", "request-line", size(1, Integer.MAX_VALUE), 0L).intValue(),
        required(l, "limits", "header-block", size(1, Integer.MAX_VALUE), 0L).intValue(),
        required(l, "limits", "headers", intIn(1, Integer.MAX_VALUE), 0),
        required(l, "limits", "client-connections", intIn(0, Integer.MAX_VALUE), 0),
        required(l, "limits", "client-download", this::rate, 0L),
        required(l, "limits", "client-upload", this::rate, 0L),
        required(l, "limits", "groups", this::groupLimits, List.of()));

    ConfigObject shutdownSection = section(root, "", "shutdown");
    ShutdownConfig shutdown =
        new ShutdownConfig(required(shutdownSection, "shutdown", "drain", duration(true), Duration.ZERO));

    ConfigObject dns = section(root, "", "dns");
    List<HostPort> dnsServers = required(dns, "dns", "servers", listOf(this::dnsServer), List.of());

    return new GatewayConfig(listen, allow, uplinks, balance, health, cache, connectPorts, access, log,
        adminListen, timeouts, limits, shutdown, source, dnsServers, new AdminConfig(adminToken), pac,
        clientGroups);
  }

  private String adminToken(ConfigValue value, String path) {
    String s = string(value, path);
    if (s != null && (s.length() < AdminConfig.MIN_TOKEN_LENGTH || !s.chars().allMatch(c -> c > 32 && c < 127))) {
      problems.add(value.origin(), path + ": must be at least " + AdminConfig.MIN_TOKEN_LENGTH
          + " printable characters without spaces (e.g. the output of 'openssl rand -hex 24')");
      return null;
    }
    return s;
  }

  private static boolean isLoopback(String ipLiteral) {
    return Cidr.parseLiteral(ipLiteral).map(b -> {
      try {
        return InetAddress.getByAddress(b).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }).orElse(false);
  }

  // ---- sections of the tree

  private HealthConfig health(ConfigObject h) {
    String p = "health";
    List<String> targets = required(h, p, "targets", listOf(this::probeTarget), List.of());
    ConfigValue targetsValue = get(h, "targets");
    int written = targetsValue != null && targetsValue.valueType() == ConfigValueType.LIST
        ? ((ConfigList) targetsValue).size() : -1;
    if (written == 0) {
      problems.add(targetsValue.origin(), "health.targets: at least one probe target is needed");
    }
    int reliability = required(h, p, "reliability", intIn(1, Integer.MAX_VALUE), 1);
    if (written > 0 && reliability > written) {
      problems.add(get(h, "reliability").origin(), "health.reliability: " + reliability
          + " targets must answer, but health.targets has only " + written);
    }
    ConfigObject degraded = section(h, p, "degraded");
    return new HealthConfig(
        targets,
        required(h, p, "interval", duration(false), Duration.ZERO),
        required(h, p, "timeout", duration(false), Duration.ZERO),
        required(h, p, "down-after", intIn(1, Integer.MAX_VALUE), 1),
        required(h, p, "up-after", intIn(1, Integer.MAX_VALUE), 1),
        reliability,
        optional(degraded, "health.degraded", "loss", this::percent),
        optional(degraded, "health.degraded", "rtt", duration(false)));
  }

  private CacheConfig cache(ConfigObject c) {
    ConfigObject disk = section(c, "cache", "disk");
    return new CacheConfig(
        required(c, "cache", "memory", size(0, Long.MAX_VALUE), 0L),
        optional(disk, "cache.disk", "path", this::path),
        required(disk, "cache.disk", "size", size(1, Long.MAX_VALUE), 0L),
        required(c, "cache", "max-object-size", size(1, Long.MAX_VALUE), 0L));
  }

  private List<UplinkConfig> uplinks(ConfigValue value, String path) {
    List<ConfigObject> entries = objects(value, path);
    if (entries == null) {
      return null;
    }
    List<UplinkConfig> out = new ArrayList<>();
    Map<String, Integer> nameLines = new HashMap<>();
    Map<InetAddress, Integer> addressLines = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject u = entries.get(i);
      String p = path + "[" + i + "]";
      String name = required(u, p, "name", nonEmptyString(), null);
      InetAddress address = required(u, p, "address", this::ipLiteral, null);
      Optional<String> iface = optional(u, p, "interface", nonEmptyString());
      int weight = orDefault(u, p, "weight", intIn(1, MAX_WEIGHT), UPLINK_WEIGHT);
      int tier = orDefault(u, p, "tier", intIn(1, MAX_TIER), UPLINK_TIER);
      boolean ifaceOptional = orDefault(u, p, "interface-optional", this::bool, false);
      List<String> healthTargets = orDefault(u, p, "health-targets", listOf(this::probeTarget), List.of());
      List<HostPort> dns = orDefault(u, p, "dns", listOf(this::dnsServer), List.of());
      long maxRate = orDefault(u, p, "max-rate", this::rate, 0L);
      long maxUploadRate = orDefault(u, p, "max-upload-rate", this::rate, 0L);
      if (name != null) {
        uplinkNames.add(name);
        Integer first = nameLines.putIfAbsent(name, get(u, "name").origin().lineNumber());
        if (first != null) {
          problems.add(get(u, "name").origin(),
              p + ".name: uplink '" + name + "' is already defined at line " + first);
        }
      }
      if (address != null) {
        Integer first = addressLines.putIfAbsent(address, get(u, "address").origin().lineNumber());
        if (first != null) {
          problems.add(get(u, "address").origin(), p + ".address: " + address.getHostAddress()
              + " is already the address of the uplink at line " + first);
        }
      }
      if (name != null && address != null) {
        out.add(new UplinkConfig(name, address, iface, weight, tier, ifaceOptional, healthTargets,
            dns, maxRate, maxUploadRate));
      }
    }
    return out;
  }

  private PinConfig pin(ConfigValue value, String path) {
    ConfigObject o = object(value, path);
    if (o == null) {
      return null;
    }
    List<String> domains = orDefault(o, path, "domains", listOf(domainPattern("networks")), List.of());
    List<Cidr> networks = orDefault(o, path, "networks", listOf(this::cidr), List.of());
    Optional<String> uplink = optional(o, path, "uplink", nonEmptyString());
    Optional<String> classifier = optional(o, path, "classifier", this::classifier);
    if (get(o, "domains") == null && get(o, "networks") == null) {
      problems.add(o.origin(), path + ": a pin needs 'domains' or 'networks' (or both)");
    }
    boolean hasUplink = get(o, "uplink") != null;
    boolean hasClassifier = get(o, "classifier") != null;
    if (hasUplink == hasClassifier) {
      problems.add(o.origin(), path + ": a pin needs exactly one of 'uplink' or 'classifier'");
    }
    if (uplink.isPresent() && !uplinkNames.contains(uplink.get())) {
      problems.add(get(o, "uplink").origin(), path + ".uplink: unknown uplink '" + uplink.get() + "' ("
          + (uplinkNames.isEmpty() ? "no uplinks are configured" : "uplinks: " + String.join(", ", uplinkNames))
          + ")");
    }
    return new PinConfig(domains, networks, uplink, classifier);
  }

  private List<AccessRuleConfig> accessRules(ConfigValue value, String path) {
    List<ConfigObject> entries = objects(value, path);
    if (entries == null) {
      return null;
    }
    List<AccessRuleConfig> out = new ArrayList<>();
    Map<String, Integer> nameLines = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject a = entries.get(i);
      String p = path + "[" + i + "]";
      String name = required(a, p, "name", nonEmptyString(), null);
      String action = required(a, p, "action", oneOf(ACTIONS, "action"), null);
      List<String> domains = orDefault(a, p, "domains", listOf(domainPattern("destinations")), List.of());
      Optional<String> time = optional(a, p, "time", this::timeWindow);
      Optional<String> redirect = optional(a, p, "redirect", this::redirectUrl);
      List<Cidr> clients = orDefault(a, p, "clients", listOf(this::cidrsOrGroup), List.<List<Cidr>>of())
          .stream().flatMap(List::stream).toList();
      List<String> methods = orDefault(a, p, "methods", listOf(this::method), List.of());
      List<Integer> ports = orDefault(a, p, "ports", listOf(intIn(1, 65535)), List.of());
      Optional<Boolean> connect = optional(a, p, "connect", this::bool);
      List<String> urlRegex = orDefault(a, p, "url-regex", listOf(this::regex), List.of());
      List<String> domainRegex = orDefault(a, p, "domain-regex", listOf(this::regex), List.of());
      List<String> contentTypes = orDefault(a, p, "content-types", listOf(this::mediaRange), List.of());
      Optional<Long> maxSize = optional(a, p, "max-size", size(0, Long.MAX_VALUE));
      List<Cidr> destinations = orDefault(a, p, "destinations", listOf(this::cidr), List.of());
      if (action != null && !"deny".equals(action) && get(a, "destinations") != null) {
        problems.add(get(a, "destinations").origin(),
            p + ": destinations are known only after DNS, just before connecting, when the only thing"
                + " left to do is deny: they need action = deny, this rule's action is " + action);
      }
      if (get(a, "destinations") != null
          && (get(a, "content-types") != null || get(a, "max-size") != null)) {
        problems.add(get(a, "destinations").origin(), p + ": destinations (decided before connecting)"
            + " and content-types or max-size (decided at the response) cannot share a rule:"
            + " write two rules");
      }
      if (action != null && !"deny".equals(action)
          && (get(a, "content-types") != null || get(a, "max-size") != null)) {
        problems.add(get(a, get(a, "content-types") != null ? "content-types" : "max-size").origin(),
            p + ": content-types and max-size are known only once the response comes, when the only"
                + " thing left to do is deny it: they need action = deny, this rule's action is "
                + action);
      }
      if (name != null) {
        Integer first = nameLines.putIfAbsent(name, get(a, "name").origin().lineNumber());
        if (first != null) {
          problems.add(get(a, "name").origin(),
              p + ".name: access rule '" + name + "' is already defined at line " + first);
        }
      }
      if ("redirect".equals(action) && get(a, "redirect") == null) {
        problems.add(a.origin(), p + ": action = redirect needs a 'redirect' URL");
      }
      if (action != null && !"redirect".equals(action) && get(a, "redirect") != null) {
        problems.add(get(a, "redirect").origin(),
            p + ".redirect: only used with action = redirect, this rule's action is " + action);
      }
      if (name != null && action != null) {
        out.add(new AccessRuleConfig(name, action, domains, time, redirect, clients, methods, ports,
            connect, urlRegex, domainRegex, contentTypes,
            maxSize.map(OptionalLong::of).orElse(OptionalLong.empty()), destinations));
      }
    }
    return out;
  }

  private List<ClientGroupConfig> clientGroups(ConfigValue value, String path) {
    List<ConfigObject> entries = objects(value, path);
    if (entries == null) {
      return null;
    }
    List<ClientGroupConfig> out = new ArrayList<>();
    Map<String, Integer> nameLines = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject g = entries.get(i);
      String p = path + "[" + i + "]";
      String name = required(g, p, "name", nonEmptyString(), null);
      List<Cidr> networks = required(g, p, "networks", listOf(this::cidr), List.of());
      if (name == null) {
        continue;
      }
      Integer first = nameLines.putIfAbsent(name, get(g, "name").origin().lineNumber());
      if (first != null) {
        problems.add(get(g, "name").origin(),
            p + ".name: client group '" + name + "' is already defined at line " + first);
        continue;
      }
      groups.put(name, networks);
      out.add(new ClientGroupConfig(name, networks));
    }
    return out;
  }

  private List<GroupLimitsConfig> groupLimits(ConfigValue value, String path) {
    List<ConfigObject> entries = objects(value, path);
    if (entries == null) {
      return null;
    }
    List<GroupLimitsConfig> out = new ArrayList<>();
    Map<String, Integer> groupLines = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject g = entries.get(i);
      String p = path + "[" + i + "]";
      String group = required(g, p, "group", this::groupName, null);
      Optional<Integer> connections =
          optional(g, p, "client-connections", intIn(0, Integer.MAX_VALUE));
      Optional<Long> download = optional(g, p, "client-download", this::rate);
      Optional<Long> upload = optional(g, p, "client-upload", this::rate);
      long groupDownload = orDefault(g, p, "group-download", this::rate, 0L);
      long groupUpload = orDefault(g, p, "group-upload", this::rate, 0L);
      if (group == null) {
        continue;
      }
      Integer first = groupLines.putIfAbsent(group, get(g, "group").origin().lineNumber());
      if (first != null) {
        problems.add(get(g, "group").origin(),
            p + ".group: the limits of group '" + group + "' are already given at line " + first);
        continue;
      }
      out.add(new GroupLimitsConfig(group,
          connections.map(OptionalInt::of).orElse(OptionalInt.empty()),
          download.map(OptionalLong::of).orElse(OptionalLong.empty()),
          upload.map(OptionalLong::of).orElse(OptionalLong.empty()),
          groupDownload, groupUpload));
    }
    return out;
  }

  // ---- single values

  /** A rate: {@code 10Mbit}, {@code 512kbit}, {@code 2MiB/s}; 0 for none (see {@link Rate}). */
  private Long rate(ConfigValue value, String path) {
    String s = scalarText(value);
    if (s == null) {
      problems.add(value.origin(), path + ": " + render(value)
          + " is not a rate (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)");
      return null;
    }
    try {
      return Rate.parse(s);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  /** The name of a {@code clients.groups} entry. */
  private String groupName(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    if (!groups.containsKey(s)) {
      problems.add(value.origin(), path + ": unknown client group '" + s + "' ("
          + (groups.isEmpty() ? "clients.groups defines none"
              : "clients.groups: " + String.join(", ", groups.keySet())) + ")");
      return null;
    }
    return s;
  }

  /**
   * An access rule's client: an address or CIDR, or the name of a client group (its networks). A name
   * is told from an address by its first character: addresses start with a digit or hold a colon.
   */
  private List<Cidr> cidrsOrGroup(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.contains(":"))) {
      Cidr c = cidr(value, path);
      return c == null ? null : List.of(c);
    }
    String group = groupName(value, path);
    return group == null ? null : groups.get(group);
  }

  /** A media range as in Accept: {@code video/mp4}, {@code video/*}; kept lower case. */
  private String mediaRange(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    String t = s.trim().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    boolean ok = slash > 0 && slash < t.length() - 1 && t.indexOf('/', slash + 1) < 0
        && !t.substring(0, slash).contains("*")
        && (t.substring(slash + 1).equals("*") || !t.substring(slash + 1).contains("*"))
        && t.chars().allMatch(c -> c > ' ' && c != ';' && c != ',');
    if (!ok) {
      problems.add(value.origin(), path + ": '" + s
          + "' is not a content type (write type/subtype or type/*, e.g. video/*, application/zip)");
      return null;
    }
    return t;
  }

  private HostPort listenAddress(ConfigValue value, String path) {
    return hostPort(value, path, -1);
  }

  private HostPort dnsServer(ConfigValue value, String path) {
    return hostPort(value, path, 53);
  }

  /** {@code ip:port} with an IP literal: nothing here is resolved through DNS. */
  private HostPort hostPort(ConfigValue value, String path, int defaultPort) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    HostPort hp;
    try {
      hp = HostPort.parse(s, defaultPort);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage()
          + (defaultPort < 0 ? " (write address:port, e.g. 127.0.0.1:3128)" : ""));
      return null;
    }
    if (Cidr.parseLiteral(hp.host()).isEmpty()) {
      problems.add(value.origin(), path + ": '" + s + "': '" + hp.host() + "' is not an IP address");
      return null;
    }
    return hp;
  }

  private Cidr cidr(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      return Cidr.parse(s);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  private InetAddress ipLiteral(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    Optional<byte[]> bytes = Cidr.parseLiteral(s.trim());
    if (bytes.isEmpty()) {
      problems.add(value.origin(), path + ": '" + s + "' is not an IP address");
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes.get());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private String classifier(ConfigValue value, String path) {
    return oneOf(BalanceConfig.CLASSIFIERS, "classifier").read(value, path);
  }

  private Reader<String> oneOf(List<String> allowed, String what) {
    return (value, path) -> {
      String s = string(value, path);
      if (s == null) {
        return null;
      }
      if (!allowed.contains(s)) {
        String hint = KnownKeys.closest(s, allowed).map(k -> "did you mean '" + k + "'? ").orElse("");
        problems.add(value.origin(), path + ": unknown " + what + " '" + s + "' (" + hint + "one of: "
            + String.join(", ", allowed) + ")");
        return null;
      }
      return s;
    };
  }

  /**
   * {@code example.org} or {@code *.example.org}; matching is the access and pin code's business. An
   * IP address is refused with a hint to {@code addressKey}, the key that matches addresses.
   */
  private Reader<String> domainPattern(String addressKey) {
    return (value, path) -> {
      String s = string(value, path);
      if (s == null) {
        return null;
      }
      String rest = s.startsWith("*.") ? s.substring(2) : s;
      if (rest.isEmpty() || rest.contains("*")) {
        problems.add(value.origin(), path + ": '" + s
            + "' is not a domain pattern (write example.org, or *.example.org for its subdomains)");
        return null;
      }
      String lower = rest.toLowerCase(Locale.ROOT);
      HostLiteral.Reading reading = HostLiteral.read(lower.endsWith(".")
          ? lower.substring(0, lower.length() - 1) : lower);
      if (reading instanceof HostLiteral.Address address) {
        // A request's address is matched after DNS; a domain is matched as the client wrote it.
        String host = address.canonical() + "/" + address.address().getAddress().length * 8;
        problems.add(value.origin(), path + ": \"" + s + "\" in domains is an address: use "
            + addressKey + " = [\"" + host + "\"]");
        return null;
      }
      if (reading instanceof HostLiteral.Ambiguous ambiguous) {
        problems.add(value.origin(), path + ": '" + s + "' " + ambiguous.reason());
        return null;
      }
      if (!rest.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
        problems.add(value.origin(), path + ": '" + s + "' is not a domain name");
        return null;
      }
      return s.toLowerCase(Locale.ROOT);
    };
  }


  /**
   * A probe target: {@code tcp://host:port}, {@code http://host/path}, {@code dns://ip[:port]/name} or
   * {@code icmp://ip}.
   */
  private String probeTarget(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      problems.add(value.origin(), path + ": '" + s + "' is not a URL");
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    String problem = null;
    if (scheme == null || !PROBE_SCHEMES.contains(scheme)) {
      problem = (scheme == null ? "no probe scheme" : "unknown probe scheme '" + scheme + "'")
          + " (write tcp://host:port, http://host/path, dns://ip:53/name or icmp://ip)";
    } else if (uri.getHost() == null) {
      problem = "no host";
    } else if (scheme.equals("tcp") && uri.getPort() < 1) {
      problem = "a tcp probe needs a port, e.g. tcp://" + uri.getHost() + ":53";
    } else if ((scheme.equals("dns") || scheme.equals("icmp")) && Cidr.parseLiteral(uri.getHost()).isEmpty()) {
      problem = "a " + scheme + " probe needs an IP address, not '" + uri.getHost() + "'";
    } else if (scheme.equals("dns") && (uri.getPath() == null || uri.getPath().length() < 2)) {
      problem = "a dns probe needs a name to ask for, e.g. dns://" + uri.getHost() + ":53/example.org";
    } else if (scheme.equals("icmp") && uri.getPort() >= 0) {
      problem = "an icmp probe has no port";
    }
    if (problem != null) {
      problems.add(value.origin(), path + ": '" + s + "': " + problem);
      return null;
    }
    return s;
  }

  /** A request method: an HTTP token, kept upper case (methods are case-sensitive; rules say GET). */
  private String method(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    if (s.isEmpty() || !s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) {
      problems.add(value.origin(), path + ": '" + s + "' is not a request method (e.g. GET, POST, CONNECT)");
      return null;
    }
    return s.toUpperCase(Locale.ROOT);
  }

  /** A Java regular expression, compiled now so a bad one is reported with its line. */
  private String regex(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      java.util.regex.Pattern.compile(s);
      return s;
    } catch (java.util.regex.PatternSyntaxException e) {
      problems.add(value.origin(), path + ": '" + s + "' is not a regular expression: "
          + e.getDescription());
      return null;
    }
  }

  /** An access rule's {@code time}: checked now with {@link TimeWindow}, kept as written. */
  private String timeWindow(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      TimeWindow.parse(s);
      return s;
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  private String redirectUrl(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(value.origin(), path + ": '" + s + "' is not an http:// or https:// URL");
    return null;
  }

  private Path path(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      if (!s.isEmpty()) {
        return Path.of(s);
      }
    } catch (InvalidPathException e) {
      // reported below
    }
    problems.add(value.origin(), path + ": '" + s + "' is not a file system path");
    return null;
  }

  private Double percent(ConfigValue value, String path) {
    Double d = null;
    if (value.valueType() == ConfigValueType.NUMBER) {
      d = ((Number) value.unwrapped()).doubleValue();
    } else if (value.valueType() == ConfigValueType.STRING) {
      String s = ((String) value.unwrapped()).trim();
      try {
        d = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1).trim() : s);
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    if (d == null || !(d >= 0 && d <= 100)) {
      problems.add(value.origin(), path + ": must be a percentage 0..100, is " + render(value));
      return null;
    }
    return d;
  }

  private Reader<Integer> intIn(long min, long max) {
    return (value, path) -> {
      Long n = null;
      if (value.valueType() == ConfigValueType.NUMBER) {
        Number num = (Number) value.unwrapped();
        if (num instanceof Integer || num instanceof Long) {
          n = num.longValue();
        } else if (num.doubleValue() == Math.rint(num.doubleValue()) && Math.abs(num.doubleValue()) < 1e15) {
          n = num.longValue();
        }
      } else if (value.valueType() == ConfigValueType.STRING) {
        try {
          n = Long.parseLong(((String) value.unwrapped()).trim());
        } catch (NumberFormatException e) {
          n = null;
        }
      }
      if (n == null) {
        problems.add(value.origin(), path + ": expected a whole number, found " + render(value));
        return null;
      }
      if (n < min || n > max) {
        problems.add(value.origin(), path + ": " + range(min, max, n) + ", is " + n);
        return null;
      }
      return n.intValue();
    };
  }

  /**
   * A duration with its unit, e.g. {@code 1s}, {@code 1 s}, {@code 500ms}, {@code 5m}. A bare number is
   * refused: Typesafe would read {@code interval = 5} as five milliseconds.
   */
  private Reader<Duration> duration(boolean zeroAllowed) {
    return (value, path) -> {
      String text = scalarText(value);
      if (text == null || text.trim().chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
        problems.add(value.origin(), path + ": " + render(value)
            + (text == null ? " is not a duration" : " needs a unit") + " (e.g. 1s, 500ms, 5m)");
        return null;
      }
      Duration d;
      try {
        d = value.atKey("d").getDuration("d");
      } catch (com.typesafe.config.ConfigException e) {
        problems.add(value.origin(), path + ": '" + text + "' is not a duration (e.g. 1s, 500ms, 5m)");
        return null;
      }
      if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
        problems.add(value.origin(), path + ": must be " + (zeroAllowed ? "0s or more" : "more than 0s")
            + ", is '" + text + "'");
        return null;
      }
      return d;
    };
  }

  /** A size as Typesafe reads it: {@code 256MiB}, {@code 10GiB}, {@code 8K}, a bare number of bytes. */
  private Reader<Long> size(long min, long max) {
    return (value, path) -> {
      Long bytes = null;
      if (scalarText(value) != null) {
        try {
          bytes = value.atKey("s").getMemorySize("s").toBytes();
        } catch (RuntimeException e) { // Typesafe's BadValue, or a negative number of bytes
          bytes = null;
        }
      }
      if (bytes == null) {
        problems.add(value.origin(), path + ": " + render(value) + " is not a size (e.g. 64KiB, 256MiB, 10GiB)");
        return null;
      }
      if (bytes < min || bytes > max) {
        problems.add(value.origin(), path + ": " + range(min, max, bytes) + " bytes, is " + bytes);
        return null;
      }
      return bytes;
    };
  }

  private Boolean bool(ConfigValue value, String path) {
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) value.unwrapped();
    }
    String s = scalarText(value);
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on":
          return true;
        case "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    problems.add(value.origin(), path + ": expected true or false, found " + render(value));
    return null;
  }

  private Reader<String> nonEmptyString() {
    return (value, path) -> {
      String s = string(value, path);
      if (s != null && s.isBlank()) {
        problems.add(value.origin(), path + ": must not be empty");
        return null;
      }
      return s;
    };
  }

  /** A string; numbers and booleans are taken as written ({@code name = 1} is the name "1"). */
  private String string(ConfigValue value, String path) {
    String s = scalarText(value);
    if (s == null) {
      problems.add(value.origin(), path + ": expected a string, found " + describe(value.valueType()));
    }
    return s;
  }

  private <T> Reader<List<T>> listOf(Reader<T> element) {
    return (value, path) -> {
      if (value.valueType() != ConfigValueType.LIST) {
        problems.add(value.origin(), path + ": expected a list [ ... ], found " + describe(value.valueType()));
        return null;
      }
      ConfigList list = (ConfigList) value;
      List<T> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        T t = element.read(list.get(i), path + "[" + i + "]");
        if (t != null) {
          out.add(t);
        }
      }
      return out;
    };
  }

  private List<ConfigObject> objects(ConfigValue value, String path) {
    return listOf(this::object).read(value, path);
  }

  private ConfigObject object(ConfigValue value, String path) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(value.origin(), path + ": expected an object { ... }, found " + describe(value.valueType()));
      return null;
    }
    return (ConfigObject) value;
  }

  // ---- navigation

  /** The sub-object at {@code key}, empty when absent; null (and one problem) when it is not an object. */
  private ConfigObject section(ConfigObject parent, String parentPath, String key) {
    ConfigValue v = get(parent, key);
    if (v == null) {
      return parent == null ? null : ConfigFactory.empty().root();
    }
    return object(v, join(parentPath, key));
  }

  private <T> T required(ConfigObject o, String path, String key, Reader<T> reader, T placeholder) {
    if (o == null) {
      return placeholder; // the enclosing section was not an object: reported already
    }
    ConfigValue v = get(o, key);
    if (v == null && o.get(key) != null) {
      problems.add(o.get(key).origin(), join(path, key) + ": needs a value, not null");
      return placeholder;
    }
    if (v == null) {
      problems.add(o.origin(), (path.isEmpty() ? "" : path + ": ") + "'" + key + "' is required");
      return placeholder;
    }
    T t = reader.read(v, join(path, key));
    return t == null ? placeholder : t;
  }

  private <T> T orDefault(ConfigObject o, String path, String key, Reader<T> reader, T dflt) {
    return optional(o, path, key, reader).orElse(dflt);
  }

  private <T> Optional<T> optional(ConfigObject o, String path, String key, Reader<T> reader) {
    ConfigValue v = get(o, key);
    return v == null ? Optional.empty() : Optional.ofNullable(reader.read(v, join(path, key)));
  }

  /** The value at {@code key}, or null when absent or written as {@code null}. */
  private static ConfigValue get(ConfigObject o, String key) {
    if (o == null) {
      return null;
    }
    ConfigValue v = o.get(key);
    return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String scalarText(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
      default -> null;
    };
  }

  private static String render(ConfigValue value) {
    String s = scalarText(value);
    return s == null ? describe(value.valueType()) : "'" + s + "'";
  }

  private static String describe(ConfigValueType type) {
    return switch (type) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "a string";
    };
  }

  private static String range(long min, long max, long n) {
    if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
      return n < min ? "must be at least " + min : "must be at most " + max;
    }
    return "must be " + min + ".." + max;
  }
}
