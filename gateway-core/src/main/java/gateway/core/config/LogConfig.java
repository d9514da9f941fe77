package gateway.core.config;

/**
 * {@code log.access}: path of the Squid-format access log, or {@code "-"} for standard output (the
 * embedded default; application logs go to standard error). {@code log.access-queue}: lines
 * buffered for the writer thread before lines are dropped (and counted) rather than block an event
 * loop.
 */
public record LogConfig(String access, int accessQueue) {

  public boolean toStdout() {
    return "-".equals(access);
  }
}
