package gateway.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a HOCON gateway config ({@code conf/gateway.conf} documents every key) into a checked
 * {@link GatewayConfig}, or fails with <em>every</em> problem as {@code file:line: message}:
 *
 * <pre>
 * /etc/gateway/gateway.conf:14: unknown key 'health.intervall' (did you mean 'interval'?)
 * /etc/gateway/gateway.conf:21: uplinks[1].weight: must be 1..1000, is 0
 * </pre>
 *
 * <p>The admin's file lies over the defaults in the jar's {@code gateway-defaults.conf}; those
 * defaults alone are the {@linkplain #embeddedDefault() embedded default}. Nothing else is merged:
 * no system properties, no {@code application.conf} or {@code reference.conf} from the classpath.
 * Substitutions ({@code ${cache.memory}}, {@code ${?GATEWAY_LISTEN}}) resolve against the merged
 * config and the environment.
 *
 * <p>The binding is done here, not with {@code Config.checkValid}, which lets unknown keys through.
 * A list element ({@code uplinks}, {@code balance.pin}, {@code access}) gets its defaults from the
 * loader: an uplink's {@code weight = 1}, {@code tier = 1}, {@code interface-optional = false}.
 */
public final class ConfigLoader {

  /** Where the gateway looks when no {@code --config} is given. */
  public static final Path SYSTEM_CONFIG = Path.of("/etc/gateway/gateway.conf");

  /** The {@link GatewayConfig#source()} of {@link #embeddedDefault()}. */
  public static final String EMBEDDED_SOURCE = "embedded default";

  private static final String DEFAULTS_RESOURCE = "gateway-defaults.conf";

  private ConfigLoader() {}

  /** Loads {@code file} over the defaults; the problems name the file as given here. */
  public static GatewayConfig load(Path file) throws ConfigException {
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          List.of(name + ": " + (Files.exists(file) ? "not a regular file" : "no such file")));
    }
    Config parsed;
    try {
      parsed =
          ConfigFactory.parseFile(
              file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(List.of(Problems.fromTypesafe(e, name)));
    }
    return bind(parsed, name);
  }

  /**
   * Parses HOCON text over the defaults; {@code originName} stands for the file name in problems.
   */
  public static GatewayConfig parse(String hocon, String originName) throws ConfigException {
    Config parsed;
    try {
      parsed =
          ConfigFactory.parseString(
              hocon, ConfigParseOptions.defaults().setOriginDescription(originName));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(List.of(Problems.fromTypesafe(e, originName)));
    }
    return bind(parsed, originName);
  }

  /**
   * What runs with no config file: listen on 127.0.0.1:3128, clients from loopback and the listen
   * subnet ({@code clients.allow} empty), uplinks found from the default routes ({@code uplinks}
   * empty), a 256 MiB memory cache and no disk cache, admin on 127.0.0.1:3129, the access log on
   * standard output.
   */
  public static GatewayConfig embeddedDefault() {
    try {
      return bind(ConfigFactory.empty(EMBEDDED_SOURCE), EMBEDDED_SOURCE);
    } catch (ConfigException e) {
      throw new IllegalStateException(
          "the embedded " + DEFAULTS_RESOURCE + " is broken:\n" + e.getMessage(), e);
    }
  }

  /** {@link #SYSTEM_CONFIG} if it exists. */
  public static Optional<Path> defaultConfigFile() {
    return Files.exists(SYSTEM_CONFIG) ? Optional.of(SYSTEM_CONFIG) : Optional.empty();
  }

  private static GatewayConfig bind(Config parsed, String sourceName) throws ConfigException {
    Problems problems = new Problems(sourceName);
    Config merged;
    Config file;
    try {
      Config unresolved = parsed.withFallback(defaults());
      merged = unresolved.resolve();
      file = parsed.resolveWith(unresolved);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(List.of(Problems.fromTypesafe(e, sourceName)));
    }
    KnownKeys.checkUnknown(file.root(), problems);
    GatewayConfig config = new ConfigBinder(problems).bind(merged.root(), sourceName);
    problems.throwIfAny();
    return config;
  }

  private static Config defaults() {
    return ConfigFactory.parseResources(
        ConfigLoader.class,
        "/" + DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }
}
