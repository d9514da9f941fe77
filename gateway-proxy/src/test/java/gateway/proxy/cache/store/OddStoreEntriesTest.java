package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gateway.proxy.cache.policy.Heads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A store directory that holds things the store did not write (directories with its names, FIFOs,
 * symbolic links, foreign files, a name at the end of the sequence numbers): start-up finishes in
 * bounded time, skips and names each of them in the log, follows no link and deletes only files of
 * its own format.
 */
class OddStoreEntriesTest {
  private static final long MEMORY = 1 << 20;
  private static final long DISK = 8 << 20;
  private static final long LARGEST = 2 << 20;
  private static final Duration START_UP = Duration.ofSeconds(20);

  @TempDir Path dir;
  @TempDir Path elsewhere;
  private TieredStore store;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(DiskScan.class)).addAppender(log);
    ((Logger) LoggerFactory.getLogger(DiskTier.class)).addAppender(log);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(DiskScan.class)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger(DiskTier.class)).detachAppender(log);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aDirectoryWithAnObjectsNameIsSkippedAndLeftAlone() throws Exception {
    Path odd = objectPath(1);
    Files.createDirectories(odd);
    Files.write(odd.resolve("inside"), new byte[] {1});
    EntryFiles.write(dir, 2, Heads.ok("http://h/a"), Bodies.of("a", 100));

    start();

    assertThat(Bodies.read(store.get("http://h/a"))).isEqualTo(Bodies.of("a", 100));
    assertThat(odd.resolve("inside")).exists();
    assertThat(warnings())
        .anyMatch(w -> w.contains(odd.toString()) && w.contains("not a regular file"));
  }

  @Test
  void aNonEmptyDirectoryInTmpIsSkippedAndLeftAlone() throws Exception {
    Path odd = dir.resolve("tmp").resolve("0000000000000003.tmp");
    Files.createDirectories(odd);
    Files.write(odd.resolve("inside"), new byte[] {1});
    Path leftover = dir.resolve("tmp").resolve("0000000000000004.tmp");
    Files.write(leftover, new byte[0]);

    start();

    assertThat(odd.resolve("inside")).exists();
    assertThat(leftover).as("our own leftover").doesNotExist();
    assertThat(warnings()).anyMatch(w -> w.contains(odd.toString()));
  }

  @Test
  void aFifoIsNeverOpened() throws Exception {
    Path fifo = objectPath(1);
    Files.createDirectories(fifo.getParent());
    mkfifo(fifo);
    Path tmpFifo = dir.resolve("tmp").resolve("0000000000000005.tmp");
    Files.createDirectories(tmpFifo.getParent());
    mkfifo(tmpFifo);
    EntryFiles.write(dir, 2, Heads.ok("http://h/a"), Bodies.of("a", 100));

    start();

    assertThat(Bodies.read(store.get("http://h/a"))).isEqualTo(Bodies.of("a", 100));
    assertThat(fifo).exists();
    assertThat(tmpFifo).exists();
    assertThat(warnings())
        .anyMatch(w -> w.contains(fifo.toString()) && w.contains("not a regular file"));
  }

  /** A link is never followed: what it points to is neither read nor deleted. */
  @Test
  void symbolicLinksAreNotFollowedAndNothingTheyPointToIsDeleted() throws Exception {
    Path foreign = Files.write(elsewhere.resolve("precious.txt"), new byte[] {42});
    Path ourName = EntryFiles.write(elsewhere, 9, Heads.ok("http://h/linked"), Bodies.of("l", 100));
    Path folderLink = dir.resolve("objects").resolve("02");
    Files.createDirectories(folderLink.getParent());
    Files.createSymbolicLink(folderLink, ourName.getParent());
    Files.createSymbolicLink(dir.resolve("objects").resolve("03"), elsewhere);
    Path fileLink = objectPath(0x0a);
    Files.createDirectories(fileLink.getParent());
    Files.createSymbolicLink(fileLink, foreign);
    Path tmpLink = dir.resolve("tmp").resolve("000000000000000b.tmp");
    Files.createDirectories(tmpLink.getParent());
    Files.createSymbolicLink(tmpLink, foreign);

    start();

    assertThat(foreign).exists();
    assertThat(ourName).exists();
    assertThat(store.get("http://h/linked")).as("never read through a link").isNull();
    assertThat(folderLink).isSymbolicLink();
    assertThat(fileLink).isSymbolicLink();
    assertThat(tmpLink).isSymbolicLink();
    assertThat(warnings()).anyMatch(w -> w.contains(fileLink.toString()));
  }

  @Test
  void theStoresOwnFoldersMustNotBeLinks() throws Exception {
    Path foreign = Files.write(elsewhere.resolve("precious.txt"), new byte[] {42});
    Files.createDirectories(dir);
    Files.createSymbolicLink(dir.resolve("objects"), elsewhere);

    assertThatThrownBy(
            () ->
                assertTimeoutPreemptively(
                    START_UP, () -> Stores.onDisk(dir, MEMORY, DISK, LARGEST)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("objects")
        .hasMessageContaining("symbolic link");
    assertThat(foreign).exists();
  }

  /**
   * Only files of our format (our name and our magic) are ever deleted; others are left and named.
   */
  @Test
  void foreignFilesAreLeftAloneAndOnlyOurDamagedFilesAreDeleted() throws Exception {
    Path folder = dir.resolve("objects").resolve("04");
    Files.createDirectories(folder);
    Path readme = Files.write(folder.resolve("README"), new byte[] {1, 2, 3});
    Path ourNameNotOurs = Files.write(folder.resolve("0000000000000104"), new byte[100]);
    Path damaged = EntryFiles.write(dir, 0x204, Heads.ok("http://h/d"), Bodies.of("d", 100));
    DiskStoreTest.Damage.CORRUPT_HEADER.apply(damaged);

    start();

    assertThat(readme).exists();
    assertThat(ourNameNotOurs).exists();
    assertThat(damaged).as("ours, damaged").doesNotExist();
    assertThat(store.stats().damaged()).isEqualTo(1);
    assertThat(warnings())
        .anyMatch(w -> w.contains(ourNameNotOurs.toString()) && w.contains("not a cache entry"));
  }

  /**
   * The next sequence number comes from valid entries only: a foreign file at the top of the range
   * does not push new names past it (they would wrap to negative numbers, and the next start would
   * delete every object stored after it).
   */
  @Test
  void aForeignFileNamedAtTheTopOfTheRangeDoesNotMoveTheSequence() throws Exception {
    Path top = dir.resolve("objects").resolve("ff").resolve("7fffffffffffffff");
    Files.createDirectories(top.getParent());
    Files.write(top, new byte[64]);
    EntryFiles.write(dir, 5, Heads.ok("http://h/old"), Bodies.of("old", 100));
    start();
    assertThat(Stores.put(store, Heads.ok("http://h/new"), Bodies.of("new", 500_000))).isTrue();

    start();

    assertThat(Bodies.read(store.get("http://h/new"))).isEqualTo(Bodies.of("new", 500_000));
    assertThat(Bodies.read(store.get("http://h/old"))).isEqualTo(Bodies.of("old", 100));
    assertThat(store.stats().diskWritesDisabled()).isFalse();
  }

  /**
   * A valid entry with the last sequence number leaves none for new files: the disk tier keeps
   * serving what it holds and stops writing, saying why, rather than wrap around.
   */
  @Test
  void aValidEntryWithTheLastSequenceNumberStopsDiskWritesAndKeepsServing() throws Exception {
    EntryFiles.write(dir, Long.MAX_VALUE, Heads.ok("http://h/top"), Bodies.of("top", 100));

    start();

    assertThat(Bodies.read(store.get("http://h/top"))).isEqualTo(Bodies.of("top", 100));
    assertThat(store.stats().diskWritesDisabled()).isTrue();
    assertThat(Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", 500_000)))
        .isFalse();
    assertThat(warnings()).anyMatch(w -> w.contains("sequence numbers"));
    start();
    assertThat(Bodies.read(store.get("http://h/top"))).isEqualTo(Bodies.of("top", 100));
  }

  private void start() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    store = assertTimeoutPreemptively(START_UP, () -> Stores.onDisk(dir, MEMORY, DISK, LARGEST));
  }

  private Path objectPath(long seq) {
    return new DiskLayout(dir).object(seq);
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    assertThat(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
