package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.util.Map;

/**
 * A rough count of the heap a stored head takes, so that many small objects still weigh something.
 */
final class HeadSize {
  /** Object headers, the record, the header map's entries. */
  private static final int FIXED = 256;

  private HeadSize() {}

  static int estimate(StoredHead head) {
    long chars = head.url().length() + head.variant().length();
    for (Map.Entry<String, String> header : head.headers()) {
      chars += header.getKey().length() + header.getValue().length() + 32;
    }
    return (int) Math.min(Integer.MAX_VALUE / 4, FIXED + 2 * chars);
  }
}
