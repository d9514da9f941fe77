package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while it writes leaves a disk tier that serves only complete, correct objects:
 * every object a new store finds has exactly the bytes written, and every commit that completed
 * before the kill is found.
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void killedWhileWritingLeavesOnlyCompleteObjects() throws Exception {
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                CrashingWriter.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  committed.add(line);
                }
              } catch (IOException e) {
                // The child was killed: its output ends here.
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (committed.size() < 20 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reading.get(10, TimeUnit.SECONDS);
    assertThat(committed).as("commits before the kill").hasSizeGreaterThanOrEqualTo(20);
    List<String> before = new ArrayList<>(committed);
    try (Stream<Path> temps = Files.list(dir.resolve("tmp"))) {
      System.out.printf(
          "killed after %d commits, %d temporary files left%n", before.size(), temps.count());
    }

    try (TieredStore store = Stores.onDisk(dir, 1 << 20, 1L << 30, 8 << 20)) {
      int found = 0;
      for (int i = 0; i < CrashingWriter.OBJECTS; i++) {
        CachedObject hit = store.get(CrashingWriter.key(i));
        if (hit != null) {
          found++;
          assertThat(Bodies.read(hit))
              .as(CrashingWriter.key(i))
              .isEqualTo(Bodies.of(CrashingWriter.key(i), CrashingWriter.length(i)));
        }
      }
      for (String key : before) {
        assertThat(store.get(key)).as("committed before the kill: " + key).isNotNull();
      }
      assertThat(found).isGreaterThanOrEqualTo(before.size());
      assertThat(store.stats().damaged()).isZero();
      try (Stream<Path> temps = Files.list(dir.resolve("tmp"))) {
        assertThat(temps).as("leftovers of the write the kill cut off").isEmpty();
      }
    }
  }
}
