package gateway.core.access;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression of an access rule ({@code url-regex}, {@code domain-regex}), compiled once
 * when the config is read. Two are equal when they were written alike with the same flags.
 */
public final class Regex {
  private final Pattern pattern;

  private Regex(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * A case-sensitive expression; throws IllegalArgumentException with a reason an admin can act on.
   */
  public static Regex parse(String text) {
    return compile(text, 0);
  }

  /** An expression that ignores case (as host names do); throws like {@link #parse}. */
  public static Regex parseIgnoringCase(String text) {
    return compile(text, Pattern.CASE_INSENSITIVE);
  }

  private static Regex compile(String text, int flags) {
    try {
      return new Regex(Pattern.compile(text, flags));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a regular expression: " + e.getDescription());
    }
  }

  /** Whether the expression is found anywhere in {@code s} (a search, not a whole match). */
  public boolean foundIn(String s) {
    return pattern.matcher(s).find();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regex r
        && r.pattern.pattern().equals(pattern.pattern())
        && r.pattern.flags() == pattern.flags();
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern.pattern(), pattern.flags());
  }

  @Override
  public String toString() {
    return pattern.pattern();
  }
}
