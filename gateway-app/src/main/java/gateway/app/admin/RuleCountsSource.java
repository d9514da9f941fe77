package gateway.app.admin;

import java.util.Map;
import java.util.Optional;

/**
 * How often each access rule matched, for the status page and {@code
 * gateway_access_rule_matches_total}: provided by the access rules once they count; until then
 * {@link #NONE} and no rule figures are shown.
 */
@FunctionalInterface
public interface RuleCountsSource {
  /**
   * Matches per rule name since start (every configured rule present), or empty when not counted.
   */
  Optional<Map<String, Long>> matches();

  RuleCountsSource NONE = Optional::empty;
}
