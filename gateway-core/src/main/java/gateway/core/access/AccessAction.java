package gateway.core.access;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an access rule does with the requests it matches: {@code action = allow|deny|redirect}. */
public enum AccessAction {
  /** Forward the request. */
  ALLOW("allow"),
  /** Refuse it with 403, naming the rule. */
  DENY("deny"),
  /** Answer with a redirect to the rule's {@code redirect} URL. */
  REDIRECT("redirect");

  private final String configName;

  AccessAction(String configName) {
    this.configName = configName;
  }

  /** The name the config writes, e.g. {@code deny}. */
  public String configName() {
    return configName;
  }

  /** The action the config calls {@code name} (exact, lower case), if any. */
  public static Optional<AccessAction> named(String name) {
    return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst();
  }

  /** Every config name, in this order: what a config may write. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(AccessAction::configName).toList();
  }

  @Override
  public String toString() {
    return configName;
  }
}
