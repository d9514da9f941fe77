package gateway.proxy.cache.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits {@code Cache-Control} and {@code Pragma} field lines into directives (RFC 9111 5.2):
 * {@code token [ "=" ( token / quoted-string ) ]}, comma separated, names compared
 * case-insensitively. Tolerant: junk between commas becomes a directive nobody knows, and a quoted
 * string left open runs to the end of its line; nothing here throws.
 */
final class Directives {

  /** One directive: the name in lower case; the argument unquoted, or null when it had none. */
  record Directive(String name, String argument) {}

  private Directives() {}

  static List<Directive> parse(Iterable<String> lines) {
    List<Directive> out = new ArrayList<>();
    for (String line : lines) {
      parseLine(line, out);
    }
    return out;
  }

  private static void parseLine(String line, List<Directive> out) {
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ',' || isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && line.charAt(i) != '=' && line.charAt(i) != ',') {
        i++;
      }
      String name = line.substring(start, i).trim().toLowerCase(Locale.ROOT);
      String argument = null;
      if (i < n && line.charAt(i) == '=') {
        i++;
        while (i < n && isWhitespace(line.charAt(i))) {
          i++;
        }
        if (i < n && line.charAt(i) == '"') {
          StringBuilder quoted = new StringBuilder();
          i++;
          while (i < n && line.charAt(i) != '"') {
            if (line.charAt(i) == '\\' && i + 1 < n) {
              i++; // quoted-pair: the next character stands for itself
            }
            quoted.append(line.charAt(i));
            i++;
          }
          argument = quoted.toString();
          while (i < n && line.charAt(i) != ',') {
            i++; // junk after the closing quote is dropped
          }
        } else {
          int valueStart = i;
          while (i < n && line.charAt(i) != ',') {
            i++;
          }
          argument = line.substring(valueStart, i).trim();
        }
      }
      if (!name.isEmpty()) {
        out.add(new Directive(name, argument));
      }
    }
  }

  /** The field names in a {@code no-cache="..."} or {@code private="..."} argument, lower case. */
  static List<String> fieldNames(String argument) {
    List<String> names = new ArrayList<>();
    for (String part : argument.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
