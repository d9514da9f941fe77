package gateway.app.firewall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system program ({@code nft}, {@code ip}) with an argument list and an optional standard
 * input, bounded in time: one that has not ended after {@link #LIMIT} is killed (by its own PID and
 * its children's) and reported. Standard input, output and error go through temporary files, so a
 * program that neither reads nor is read from can never block the gateway on a full pipe.
 *
 * <p>A prefix runs every command inside something else: {@code ip netns exec NS} for a test's own
 * network namespace.
 */
public final class CommandRunner {
  /** How long one command may run. {@code nft -f} of the gateway's table takes milliseconds. */
  public static final Duration LIMIT = Duration.ofSeconds(5);

  private final List<String> prefix;
  private final Duration limit;

  private CommandRunner(List<String> prefix, Duration limit) {
    this.prefix = List.copyOf(prefix);
    this.limit = limit;
  }

  /** Runs the programs of this machine's namespace, each for at most {@link #LIMIT}. */
  public static CommandRunner local() {
    return new CommandRunner(List.of(), LIMIT);
  }

  /** Runs every command inside the network namespace {@code name} ({@code ip netns exec}). */
  public static CommandRunner inNamespace(String name) {
    return new CommandRunner(List.of("ip", "netns", "exec", name), LIMIT);
  }

  /** This runner with another bound per command. */
  public CommandRunner withLimit(Duration other) {
    return new CommandRunner(prefix, other);
  }

  /** What a command did: its exit status and what it printed. */
  public record Result(List<String> command, int exit, String out, String err) {
    public boolean succeeded() {
      return exit == 0;
    }

    /** The command as a shell line, for messages: {@code nft -f -}. */
    public String commandLine() {
      return String.join(" ", command);
    }
  }

  /**
   * Runs {@code command} with {@code stdin} on its standard input (none: empty input) and returns
   * what it did, whatever its exit status.
   *
   * @throws CommandException when the program cannot be started (not installed) or did not end
   *     within the bound (it is killed then)
   */
  public Result run(List<String> command, Optional<String> stdin) throws CommandException {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(command);
    String line = String.join(" ", command);
    Path in = null;
    Path out = null;
    Path err = null;
    try {
      in = Files.createTempFile("gateway-cmd", ".in");
      out = Files.createTempFile("gateway-cmd", ".out");
      err = Files.createTempFile("gateway-cmd", ".err");
      Files.writeString(in, stdin.orElse(""), StandardCharsets.UTF_8);
      Process p;
      try {
        p =
            new ProcessBuilder(argv)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (IOException e) {
        throw new CommandException(
            line,
            "cannot run '" + command.get(0) + "' (" + e.getMessage() + ")",
            CommandException.Kind.NOT_FOUND);
      }
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(1, TimeUnit.SECONDS);
        throw new CommandException(
            line,
            "'" + line + "' did not end within " + limit.toMillis() + " ms and was killed",
            CommandException.Kind.TIMED_OUT);
      }
      return new Result(
          List.copyOf(command),
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new CommandException(
          line, "cannot run '" + line + "': " + e.getMessage(), CommandException.Kind.NOT_FOUND);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(
          line, "'" + line + "' was interrupted", CommandException.Kind.TIMED_OUT);
    } finally {
      delete(in);
      delete(out);
      delete(err);
    }
  }

  /** Runs {@code command} and returns its output; throws with its standard error unless exit 0. */
  public String check(List<String> command, Optional<String> stdin) throws CommandException {
    Result r = run(command, stdin);
    if (!r.succeeded()) {
      throw CommandException.failed(r);
    }
    return r.out();
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // A temporary file left behind is harmless: the system's tmp cleaner takes it.
      }
    }
  }
}
