package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What the indexes keep in place of a cache key ({@link StoredHead#key()}): the first 128 bits of
 * the key's SHA-256, 16 bytes whatever the key's length. A key's secondary part is made of request
 * header values (RFC 9111 4.1), as long as a request head may be: kept whole in every index entry,
 * it would put the clients in charge of the heap.
 *
 * <p>A digest only finds a candidate: every hit compares the full key (held in the entry's file, or
 * in the memory entry's head) with the one asked for, so two keys that share a digest are two
 * misses for one another, never one served as the other.
 */
record KeyDigest(long high, long low) {

  static KeyDigest of(String key) {
    byte[] sha = sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    ByteBuffer bytes = ByteBuffer.wrap(sha);
    return new KeyDigest(bytes.getLong(), bytes.getLong());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }
}
