package gateway.app.testing;

import gateway.app.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The {@code gateway} command line run in this JVM as a script would run it: the exit code, and
 * what it printed to standard output and error, kept for the test to read.
 */
public final class Cli {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code gateway args...}; returns its exit code. Output adds up over runs. */
  public int run(String... args) {
    return new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** All that the runs printed to standard output. */
  public String out() {
    return out.toString();
  }

  /** All that the runs printed to standard error. */
  public String err() {
    return err.toString();
  }
}
