package gateway.app.cli;

import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import gateway.core.net.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Function;

/** Where a command finds a running gateway: named on the command line, else from the config. */
final class AdminAddress {
  private AdminAddress() {}

  /** {@code host:port} as given, or {@code pick} of the config; a wildcard host means loopback. */
  static InetSocketAddress resolve(
      String given, Path config, Function<GatewayConfig, HostPort> pick) throws ConfigException {
    HostPort hp = given != null ? HostPort.parse(given, -1) : pick.apply(ConfigSource.load(config));
    String host = hp.host();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "::1";
    }
    return new InetSocketAddress(host, hp.port());
  }

  static String text(InetSocketAddress a) {
    String h = a.getHostString();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
