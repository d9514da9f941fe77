package gateway.app.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough JSON for {@code /api/status} and the CLI that reads it: a writer of values made of
 * maps, lists, strings, numbers, booleans and null, and a parser back into the same shapes (numbers
 * as {@code Double}). Written here rather than adding a JSON library: the status document is small
 * and its shape is ours; about 150 lines against a dependency of several hundred kilobytes.
 */
public final class Json {
  private Json() {}

  /** {@code value} as JSON text: Map (string keys), Iterable, String, Number, Boolean, null. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder(4096);
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Boolean bool) {
      b.append(bool);
    } else if (v instanceof Double d) {
      number(b, d);
    } else if (v instanceof Float f) {
      number(b, f.doubleValue());
    } else if (v instanceof Number n) {
      b.append(n.longValue());
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, String.valueOf(e.getKey()));
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof Iterable<?> it) {
      b.append('[');
      boolean first = true;
      for (Object o : it) {
        if (!first) {
          b.append(',');
        }
        first = false;
        write(b, o);
      }
      b.append(']');
    } else {
      string(b, v.toString());
    }
  }

  private static void number(StringBuilder b, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      b.append("null"); // JSON has no NaN: an unknown value
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", ""));
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        // '<' escaped so that a value can never close a <script> element it is embedded in.
        case '<' -> b.append("\\u003c");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Parses JSON text into Map (insertion order), List, String, Double, Boolean or null. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    Object v = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    Object value() {
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", true);
        case 'f':
          return literal("false", false);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("unexpected '" + s.charAt(pos) + "'");
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String k = string();
        skipSpace();
        expect(':');
        m.put(k, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return m;
        }
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      pos++;
      skipSpace();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        l.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          return l;
        }
      }
    }

    String string() {
      pos++;
      StringBuilder b = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> b.append(e);
        }
      }
    }

    Double number() {
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("unexpected '" + s.charAt(pos) + "'");
      }
      try {
        return Double.parseDouble(s.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("bad number");
      }
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }
  }
}
