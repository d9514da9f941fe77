package gateway.core.config;

import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The duplicate check of a list's entries: the first entry with a key claims it, a later one is
 * reported at its own line with the line of the first.
 *
 * @param <K> what must be unique: a name, an address
 */
final class UniqueNames<K> {
  private final Problems problems;
  private final Map<K, Integer> firstLines = new HashMap<>();

  UniqueNames(Problems problems) {
    this.problems = problems;
  }

  /**
   * Claims {@code key}, written at {@code value}; false (and one problem, the message {@code
   * duplicate} makes of the first one's line) when an earlier entry has it.
   */
  boolean claim(K key, ConfigValue value, IntFunction<String> duplicate) {
    Integer first = firstLines.putIfAbsent(key, value.origin().lineNumber());
    if (first != null) {
      problems.add(value.origin(), duplicate.apply(first));
      return false;
    }
    return true;
  }
}
