package gateway.pcc.health;

import java.time.Duration;
import java.util.Optional;

/**
 * Statistics over an uplink's moving window of probe rounds.
 *
 * @param rounds how many rounds the window holds now
 * @param lossPercent failed probes / probes sent over the window, 0..100 (0 when empty)
 * @param rttMedian median of the rounds' RTTs (empty when no probe answered in the window)
 * @param jitter mean absolute difference of successive round RTTs, as RFC 3550 section 6.4.1
 *     defines interarrival jitter's increments (without its 1/16 smoothing); empty with fewer than
 *     two RTTs
 */
public record WindowStats(
    int rounds, double lossPercent, Optional<Duration> rttMedian, Optional<Duration> jitter) {

  public static final WindowStats EMPTY = new WindowStats(0, 0, Optional.empty(), Optional.empty());
}
