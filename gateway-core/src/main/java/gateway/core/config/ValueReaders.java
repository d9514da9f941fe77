package gateway.core.config;

import static gateway.core.config.ConfigTree.render;
import static gateway.core.config.ConfigTree.scalarText;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gateway.core.limit.Rate;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Readers of single values: strings, numbers, booleans, durations, sizes, percentages, rates,
 * paths, names out of a fixed list. Each reports what is wrong with the value at its origin and
 * returns null.
 */
final class ValueReaders {
  private final Problems problems;

  ValueReaders(Problems problems) {
    this.problems = problems;
  }

  /** A string; numbers and booleans are taken as written ({@code name = 1} is the name "1"). */
  String string(ConfigValue value, String path) {
    String s = scalarText(value);
    if (s == null) {
      problems.add(
          value.origin(),
          path + ": expected a string, found " + ConfigTree.describe(value.valueType()));
    }
    return s;
  }

  ValueReader<String> nonEmptyString() {
    return (value, path) -> {
      String s = string(value, path);
      if (s != null && s.isBlank()) {
        problems.add(value.origin(), path + ": must not be empty");
        return null;
      }
      return s;
    };
  }

  /** One of {@code allowed}, with a "did you mean" for a near miss. */
  ValueReader<String> oneOf(List<String> allowed, String what) {
    return (value, path) -> {
      String s = string(value, path);
      if (s == null) {
        return null;
      }
      if (!allowed.contains(s)) {
        String hint =
            KnownKeys.closest(s, allowed).map(k -> "did you mean '" + k + "'? ").orElse("");
        problems.add(
            value.origin(),
            path
                + ": unknown "
                + what
                + " '"
                + s
                + "' ("
                + hint
                + "one of: "
                + String.join(", ", allowed)
                + ")");
        return null;
      }
      return s;
    };
  }

  Boolean bool(ConfigValue value, String path) {
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) value.unwrapped();
    }
    String s = scalarText(value);
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on":
          return true;
        case "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    problems.add(value.origin(), path + ": expected true or false, found " + render(value));
    return null;
  }

  ValueReader<Integer> intIn(long min, long max) {
    return (value, path) -> {
      Long n = null;
      if (value.valueType() == ConfigValueType.NUMBER) {
        Number num = (Number) value.unwrapped();
        if (num instanceof Integer || num instanceof Long) {
          n = num.longValue();
        } else if (num.doubleValue() == Math.rint(num.doubleValue())
            && Math.abs(num.doubleValue()) < 1e15) {
          n = num.longValue();
        }
      } else if (value.valueType() == ConfigValueType.STRING) {
        try {
          n = Long.parseLong(((String) value.unwrapped()).trim());
        } catch (NumberFormatException e) {
          n = null;
        }
      }
      if (n == null) {
        problems.add(value.origin(), path + ": expected a whole number, found " + render(value));
        return null;
      }
      if (n < min || n > max) {
        problems.add(value.origin(), path + ": " + range(min, max, n) + ", is " + n);
        return null;
      }
      return n.intValue();
    };
  }

  /**
   * A duration with its unit, e.g. {@code 1s}, {@code 1 s}, {@code 500ms}, {@code 5m}. A bare
   * number is refused: Typesafe would read {@code interval = 5} as five milliseconds.
   */
  ValueReader<Duration> duration(boolean zeroAllowed) {
    return (value, path) -> {
      String text = scalarText(value);
      if (text == null || text.trim().chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
        problems.add(
            value.origin(),
            path
                + ": "
                + render(value)
                + (text == null ? " is not a duration" : " needs a unit")
                + " (e.g. 1s, 500ms, 5m)");
        return null;
      }
      Duration d;
      try {
        d = value.atKey("d").getDuration("d");
      } catch (com.typesafe.config.ConfigException e) {
        problems.add(
            value.origin(), path + ": '" + text + "' is not a duration (e.g. 1s, 500ms, 5m)");
        return null;
      }
      if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
        problems.add(
            value.origin(),
            path
                + ": must be "
                + (zeroAllowed ? "0s or more" : "more than 0s")
                + ", is '"
                + text
                + "'");
        return null;
      }
      return d;
    };
  }

  /**
   * A size as Typesafe reads it: {@code 256MiB}, {@code 10GiB}, {@code 8K}, a bare number of bytes.
   */
  ValueReader<Long> size(long min, long max) {
    return (value, path) -> {
      Long bytes = null;
      if (scalarText(value) != null) {
        try {
          bytes = value.atKey("s").getMemorySize("s").toBytes();
        } catch (RuntimeException e) { // Typesafe's BadValue, or a negative number of bytes
          bytes = null;
        }
      }
      if (bytes == null) {
        problems.add(
            value.origin(),
            path + ": " + render(value) + " is not a size (e.g. 64KiB, 256MiB, 10GiB)");
        return null;
      }
      if (bytes < min || bytes > max) {
        problems.add(value.origin(), path + ": " + range(min, max, bytes) + " bytes, is " + bytes);
        return null;
      }
      return bytes;
    };
  }

  Double percent(ConfigValue value, String path) {
    Double d = null;
    if (value.valueType() == ConfigValueType.NUMBER) {
      d = ((Number) value.unwrapped()).doubleValue();
    } else if (value.valueType() == ConfigValueType.STRING) {
      String s = ((String) value.unwrapped()).trim();
      try {
        d = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1).trim() : s);
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    if (d == null || !(d >= 0 && d <= 100)) {
      problems.add(value.origin(), path + ": must be a percentage 0..100, is " + render(value));
      return null;
    }
    return d;
  }

  /** A rate: {@code 10Mbit}, {@code 512kbit}, {@code 2MiB/s}; 0 for none (see {@link Rate}). */
  Long rate(ConfigValue value, String path) {
    String s = scalarText(value);
    if (s == null) {
      problems.add(
          value.origin(),
          path
              + ": "
              + render(value)
              + " is not a rate (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)");
      return null;
    }
    try {
      return Rate.parse(s);
    } catch (IllegalArgumentException e) {
      problems.add(value.origin(), path + ": " + e.getMessage());
      return null;
    }
  }

  Path path(ConfigValue value, String path) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    try {
      if (!s.isEmpty()) {
        return Path.of(s);
      }
    } catch (InvalidPathException e) {
      // reported below
    }
    problems.add(value.origin(), path + ": '" + s + "' is not a file system path");
    return null;
  }

  private static String range(long min, long max, long n) {
    if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
      return n < min ? "must be at least " + min : "must be at most " + max;
    }
    return "must be " + min + ".." + max;
  }
}
