package gateway.proxy.cache.policy;

/**
 * Reads {@code delta-seconds} (RFC 9111 1.2.2): a non-negative decimal integer of seconds, which
 * saturates at 2^31 instead of overflowing, as that section requires.
 */
final class DeltaSeconds {
  /** RFC 9111 1.2.2: the value used for anything larger, and for calculations that overflow. */
  static final long MAX = 2_147_483_648L;

  /** What {@link #parse} returns for a value that is not {@code 1*DIGIT}. */
  static final long INVALID = -1;

  private DeltaSeconds() {}

  static long parse(String text) {
    if (text == null || text.isEmpty()) {
      return INVALID;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return INVALID;
      }
      // Keep reading after saturating: "99999999999x" is still invalid, not 2^31.
      value = Math.min(MAX, value * 10 + (c - '0'));
    }
    return value;
  }

  /** Whole seconds in {@code millis}, never negative, saturated at {@link #MAX}. */
  static long ofMillis(long millis) {
    return Math.min(MAX, Math.max(0, millis / 1000));
  }
}
