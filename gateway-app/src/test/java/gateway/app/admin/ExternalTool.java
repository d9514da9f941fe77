package gateway.app.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool a test runs (chromium, promtool, goaccess): found on PATH, or the test skips.
 */
final class ExternalTool {
  private ExternalTool() {}

  /** The tool's path; skips the test with a message when it is not installed. */
  static Path require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.assumeTrue(
        false,
        name
            + " is not installed (Debian package '"
            + debianPackage
            + "'; .ci/run installs it): skipped");
    throw new AssertionError("unreachable");
  }

  /** What a finished command printed (stdout and stderr together), and its exit code. */
  record Result(int exit, String output) {}

  static Result run(Path workDir, List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    return run(workDir, command, null, timeoutSeconds);
  }

  /** Runs {@code command} with {@code stdin} (a file, or null for none) as its standard input. */
  static Result run(Path workDir, List<String> command, Path stdin, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "tool", ".out");
    ProcessBuilder b =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    if (stdin != null) {
      b.redirectInput(stdin.toFile());
    }
    Process p = b.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          command.get(0)
              + " did not finish within "
              + timeoutSeconds
              + " s:\n"
              + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
