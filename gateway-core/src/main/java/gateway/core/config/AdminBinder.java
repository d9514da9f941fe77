package gateway.core.config;

import static gateway.core.config.ConfigTree.get;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** {@code admin}: the status listener and its token, which any listener off loopback needs. */
final class AdminBinder {
  /** Where the admin listener binds, and its settings. */
  record Admin(HostPort listen, AdminConfig config) {}

  private static final HostPort NO_ADDRESS = new HostPort("0.0.0.0", 0);

  private AdminBinder() {}

  static Admin bind(Readers r, ConfigObject admin) {
    HostPort listen =
        r.tree().required(admin, "admin", "listen", r.net()::listenAddress, NO_ADDRESS);
    Optional<String> token = r.tree().optional(admin, "admin", "token", (v, p) -> token(r, v, p));
    if (get(admin, "token") == null && listen != NO_ADDRESS && !isLoopback(listen.host())) {
      // The status page names clients and sites: never open to the LAN without a secret.
      r.problems()
          .add(
              get(admin, "listen").origin(),
              "admin.listen: "
                  + listen
                  + " can be reached from other machines: set admin.token (at least "
                  + AdminConfig.MIN_TOKEN_LENGTH
                  + " characters) or listen on 127.0.0.1");
    }
    return new Admin(listen, new AdminConfig(token));
  }

  private static String token(Readers r, ConfigValue value, String path) {
    String s = r.values().string(value, path);
    if (s != null
        && (s.length() < AdminConfig.MIN_TOKEN_LENGTH
            || !s.chars().allMatch(c -> c > 32 && c < 127))) {
      r.problems()
          .add(
              value.origin(),
              path
                  + ": must be at least "
                  + AdminConfig.MIN_TOKEN_LENGTH
                  + " printable characters without spaces (e.g. the output of 'openssl rand -hex 24')");
      return null;
    }
    return s;
  }

  private static boolean isLoopback(String ipLiteral) {
    return Cidr.parseLiteral(ipLiteral)
        .map(
            b -> {
              try {
                return InetAddress.getByAddress(b).isLoopbackAddress();
              } catch (UnknownHostException e) {
                return false;
              }
            })
        .orElse(false);
  }
}
