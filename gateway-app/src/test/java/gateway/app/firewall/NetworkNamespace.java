package gateway.app.firewall;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A fresh network namespace of the test's own (a unique name, loopback up), deleted on close with
 * everything in it: the real {@code nft} and {@code ip} run inside it through {@link #runner()},
 * and the machine's own ruleset is never touched.
 */
final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final CommandRunner runner;

  private NetworkNamespace(String name) {
    this.name = name;
    this.runner = CommandRunner.inNamespace(name);
  }

  /** Skips the calling test unless this machine can make namespaces and run nft in them. */
  static void assumeAvailable() {
    assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
    for (String tool : List.of("ip", "nft")) {
      assumeTrue(onPath(tool), "needs " + tool + " (iproute2, nftables)");
    }
  }

  static NetworkNamespace create() throws CommandException {
    String name =
        "gwfw-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    CommandRunner.local().check(List.of("ip", "netns", "add", name), Optional.empty());
    NetworkNamespace ns = new NetworkNamespace(name);
    try {
      ns.runner.check(List.of("ip", "link", "set", "lo", "up"), Optional.empty());
    } catch (CommandException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  CommandRunner runner() {
    return runner;
  }

  /** What {@code command} prints inside the namespace (it must succeed). */
  String show(String... command) throws CommandException {
    return runner.check(List.of(command), Optional.empty());
  }

  @Override
  public void close() {
    try {
      CommandRunner.local().check(List.of("ip", "netns", "del", name), Optional.empty());
    } catch (CommandException e) {
      throw new IllegalStateException("could not delete the test's namespace " + name, e);
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }
}
