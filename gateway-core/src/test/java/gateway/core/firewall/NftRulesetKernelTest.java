package gateway.core.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel's nftables accepts every golden table: {@code nft -c -f} (check only, nothing is
 * loaded) in a network namespace of its own ({@code unshare -n}, gone with the process), so the
 * machine's ruleset is never read or touched. Needs root and nft; skipped with a message otherwise.
 */
class NftRulesetKernelTest {
  private static final long TIMEOUT_SECONDS = 10;

  @TempDir static Path dir;

  private static Path unshare;
  private static Path nft;

  @BeforeAll
  static void needsRootNftAndANamespace() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "nft -c in a network namespace needs root: skipped");
    unshare = which("unshare").orElse(null);
    nft = which("nft").orElse(null);
    assumeTrue(unshare != null && nft != null, "nft or unshare is not installed: skipped");
    assumeTrue(
        run(List.of(unshare.toString(), "-n", "true"), dir.resolve("probe.out")) == 0,
        "unshare -n is not allowed here (a container without CAP_SYS_ADMIN?): skipped");
  }

  static Stream<String> files() {
    return Stream.of(
        "ports-all.nft",
        "ports-list.nft",
        "block-quic-off.nft",
        "several-clients.nft",
        "no-clients.nft",
        "removal.nft");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void nftAcceptsTheGoldenTable(String name) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, NftRulesetTest.golden(name));
    Path output = dir.resolve(name + ".out");

    int exit =
        run(List.of(unshare.toString(), "-n", nft.toString(), "-c", "-f", file.toString()), output);

    assertThat(exit)
        .as("nft -c -f %s:%n%s", name, Files.readString(output, StandardCharsets.UTF_8))
        .isZero();
  }

  /** Runs {@code argv} with its output into {@code output}; its exit status, bounded in time. */
  private static int run(List<String> argv, Path output) throws Exception {
    Process p =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(argv + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    return p.exitValue();
  }

  private static Optional<Path> which(String command) {
    String path = System.getenv("PATH");
    return Stream.concat(
            path == null ? Stream.empty() : Stream.of(path.split(File.pathSeparator)),
            Stream.of("/usr/sbin", "/sbin", "/usr/bin"))
        .map(d -> Path.of(d, command))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
