package gateway.pcc.health;

import java.util.List;

/**
 * One probe round of one uplink: every target probed once, in parallel.
 *
 * @param passed whether at least {@code health.reliability} targets answered
 * @param targets each target's result, in configuration order
 */
public record RoundResult(boolean passed, List<TargetResult> targets) {

  public RoundResult {
    targets = List.copyOf(targets);
  }

  /**
   * A round passes when at least {@code reliability} targets answered; {@code reliability} is
   * capped at the number of targets probed (targets may be skipped, see {@code IcmpProbe}).
   */
  public static RoundResult of(List<TargetResult> targets, int reliability) {
    long ok = targets.stream().filter(TargetResult::ok).count();
    int needed = Math.max(1, Math.min(reliability, targets.size()));
    return new RoundResult(!targets.isEmpty() && ok >= needed, targets);
  }

  public List<TargetResult> failures() {
    return targets.stream().filter(t -> !t.ok()).toList();
  }
}
