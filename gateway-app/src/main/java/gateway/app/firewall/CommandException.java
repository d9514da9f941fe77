package gateway.app.firewall;

/**
 * A system command that could not be run, did not end in time, or failed; the message names the
 * command and carries what it printed on standard error.
 */
public final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the command gave no good result. */
  public enum Kind {
    /** The program is not installed (or not on the PATH). */
    NOT_FOUND,
    /** It did not end within the bound and was killed. */
    TIMED_OUT,
    /** It ran and exited with a non-zero status. */
    FAILED
  }

  private final String command;
  private final Kind kind;
  private final String stderr;

  CommandException(String command, String message, Kind kind) {
    this(command, message, kind, "");
  }

  private CommandException(String command, String message, Kind kind, String stderr) {
    super(message);
    this.command = command;
    this.kind = kind;
    this.stderr = stderr;
  }

  static CommandException failed(CommandRunner.Result r) {
    return new CommandException(
        r.commandLine(),
        "'"
            + r.commandLine()
            + "' exited "
            + r.exit()
            + (r.err().isEmpty() ? "" : ": " + r.err().replace('\n', ' ')),
        Kind.FAILED,
        r.err());
  }

  /** The command as a shell line. */
  public String command() {
    return command;
  }

  public Kind kind() {
    return kind;
  }

  /** What the command printed on standard error (empty unless {@link Kind#FAILED}). */
  public String stderr() {
    return stderr;
  }
}
