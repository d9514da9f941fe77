package gateway.core.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects config problems as {@code file:line: message}, in line order, each once. A value's
 * origin names the file ({@link ConfigOrigin#filename()}), else the classpath resource, else the
 * name the text was parsed under.
 */
final class Problems {
  private record Problem(String where, int line, String message) {
    String format() {
      return line < 0 ? where + ": " + message : where + ":" + line + ": " + message;
    }
  }

  private final String sourceName;
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> seen = new LinkedHashSet<>();

  Problems(String sourceName) {
    this.sourceName = sourceName;
  }

  void add(ConfigOrigin origin, String message) {
    Problem p =
        new Problem(where(origin, sourceName), origin == null ? -1 : origin.lineNumber(), message);
    if (seen.add(p.format())) {
      problems.add(p);
    }
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /**
   * Every problem, ordered by line (a stable sort: same-line problems keep the order they were
   * found).
   */
  List<String> formatted() {
    return problems.stream()
        .sorted(Comparator.comparingInt(Problem::line))
        .map(Problem::format)
        .toList();
  }

  void throwIfAny() throws ConfigException {
    if (!isEmpty()) {
      throw new ConfigException(formatted());
    }
  }

  /**
   * One problem from Typesafe's own exception (a HOCON syntax error, an unresolved substitution, an
   * unreadable file): its origin becomes {@code file:line}, the rest of its message is kept.
   */
  static String fromTypesafe(com.typesafe.config.ConfigException e, String sourceName) {
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    if (origin == null) {
      return sourceName + ": " + message;
    }
    String prefix = origin.description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    if (e instanceof com.typesafe.config.ConfigException.Parse && message.contains("end of file")) {
      // Typesafe says "expecting a close parentheses ')'" for a '{' that is never closed.
      message = "unexpected end of file: is a '{' or '[' not closed?";
    }
    int hint = message.indexOf(" (if you intended");
    if (hint > 0) {
      // Typesafe's hint suggests renaming the file to .properties: not advice for a gateway config.
      message = message.substring(0, hint);
    }
    Problems one = new Problems(sourceName);
    one.add(origin, message);
    return one.formatted().get(0);
  }

  private static String where(ConfigOrigin origin, String sourceName) {
    if (origin == null) {
      return sourceName;
    }
    if (origin.filename() != null) {
      return origin.filename();
    }
    if (origin.resource() != null) {
      return origin.resource();
    }
    return sourceName;
  }
}
