package gateway.proxy.log;

import gateway.core.log.AccessRecord;

/**
 * Where the proxy hands each finished request or tunnel. Implementations never block the caller.
 */
public interface AccessLog {
  void record(AccessRecord record);

  /** A log that drops everything, for tests that do not look at it. */
  AccessLog DISCARD = record -> {};
}
