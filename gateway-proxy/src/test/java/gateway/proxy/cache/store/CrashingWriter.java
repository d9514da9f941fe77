package gateway.proxy.cache.store;

import gateway.core.config.CacheConfig;
import gateway.proxy.cache.policy.Heads;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The child process of {@link CrashTest}: stores large objects into a disk tier, one after another,
 * printing each key once its commit has completed, until it is killed.
 */
public final class CrashingWriter {
  static final int OBJECTS = 400;

  private CrashingWriter() {}

  static String key(int i) {
    return "http://crash/" + i;
  }

  /** Sizes vary so that a torn file could not pass for another. */
  static int length(int i) {
    return 300_000 + (i % 7) * 10_001;
  }

  public static void main(String[] args) {
    CacheConfig config = new CacheConfig(1 << 20, Optional.of(Path.of(args[0])), 1L << 30, 8 << 20);
    CacheStore store = CacheStores.open(config);
    for (int i = 0; i < OBJECTS; i++) {
      byte[] body = Bodies.of(key(i), length(i));
      ObjectWriter writer = store.begin(Heads.ok(key(i)), -1);
      Bodies.write(writer, body, 8192);
      if (writer.commit().join()) {
        System.out.println(key(i));
        System.out.flush();
      }
    }
    store.close();
  }
}
