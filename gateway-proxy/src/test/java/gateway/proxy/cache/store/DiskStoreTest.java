package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** The store with a disk tier, over a real directory: what is kept, found, checked and dropped. */
class DiskStoreTest {
  private static final long MEMORY = 1 << 20; // objects up to 128 KiB are also kept in memory
  private static final long DISK = 8 << 20;
  private static final long LARGEST = 2 << 20;
  private static final int SMALL = 10_000;
  private static final int LARGE = 500_000;

  @TempDir Path dir;
  private TieredStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private TieredStore open() throws IOException {
    if (store != null) {
      store.close();
    }
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    return store;
  }

  @Test
  void largeObjectIsKeptOnDiskOnlyAndServedAsAFileRegion() throws Exception {
    open();
    byte[] body = Bodies.of("large", LARGE);
    assertThat(Stores.put(store, Heads.ok("http://h/large"), body)).isTrue();

    CachedObject hit = store.get("http://h/large");

    assertThat(hit.inMemory()).isFalse();
    assertThat(hit.length()).isEqualTo(LARGE);
    assertThat(hit.head().headers().get("Cache-Control")).isEqualTo("max-age=60");
    try (CachedObject.Body opened = hit.open()) {
      assertThat(opened).isInstanceOf(CachedObject.OnDisk.class);
    }
    assertThat(Bodies.read(hit)).isEqualTo(body);
    assertThat(store.stats().memoryObjects()).isZero();
    assertThat(store.stats().diskObjects()).isEqualTo(1);
    assertThat(objectFiles()).hasSize(1);
  }

  @Test
  void smallObjectIsInMemoryAndOnDiskSoItSurvivesARestart() throws Exception {
    open();
    byte[] body = Bodies.of("small", SMALL);
    Stores.put(store, Heads.ok("http://h/small"), body);
    assertThat(store.get("http://h/small").inMemory()).isTrue();

    open();

    CachedObject fromDisk = store.get("http://h/small");
    assertThat(fromDisk.inMemory()).as("first hit after restart").isFalse();
    assertThat(Bodies.read(fromDisk)).isEqualTo(body);
    assertThat(store.get("http://h/small").inMemory()).as("promoted by the first hit").isTrue();
  }

  @Test
  void nothingIsVisibleBeforeCommit() throws Exception {
    open();
    ObjectWriter writer = store.begin(Heads.ok("http://h/large"), LARGE);
    Bodies.write(writer, Bodies.of("large", LARGE), 8192);

    assertThat(store.get("http://h/large")).isNull();
    assertThat(objectFiles()).isEmpty();
    assertThat(tempFiles()).hasSize(1);

    assertThat(writer.commit().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.get("http://h/large")).isNotNull();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void abortLeavesNoFile() throws Exception {
    open();
    ObjectWriter writer = store.begin(Heads.ok("http://h/large"), -1);
    Bodies.write(writer, Bodies.of("large", LARGE), 8192);

    writer.abort();

    assertThat(store.get("http://h/large")).isNull();
    assertThat(tempFiles()).isEmpty();
    assertThat(objectFiles()).isEmpty();
  }

  @Test
  void restartReloadsTheIndexFromTheHeaders() throws Exception {
    open();
    Stores.put(
        store, Heads.varying("http://h/v", "gzip", "Accept-Encoding"), Bodies.of("gz", 3000));
    Stores.put(store, Heads.varying("http://h/v", "br", "Accept-Encoding"), Bodies.of("br", 4000));
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE));
    long bytes = store.stats().diskBytes();

    open();

    assertThat(store.stats().diskObjects()).isEqualTo(3);
    assertThat(store.stats().diskBytes()).isEqualTo(bytes);
    assertThat(store.varyOf("http://h/v")).containsExactly("Accept-Encoding");
    assertThat(store.varyOf("http://h/large")).isEmpty();
    assertThat(Bodies.read(store.get(StoredHead.key("http://h/v", "br"))))
        .isEqualTo(Bodies.of("br", 4000));
    assertThat(Bodies.read(store.get("http://h/large"))).isEqualTo(Bodies.of("large", LARGE));
    assertThat(store.removeUrl("http://h/v")).isTrue();
    assertThat(objectFiles()).hasSize(1);
  }

  @Test
  void aNewerVersionReplacesTheOlderFile() throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("old", LARGE));
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("new", LARGE + 1));

    assertThat(objectFiles()).hasSize(1);
    open();
    assertThat(Bodies.read(store.get("http://h/large"))).isEqualTo(Bodies.of("new", LARGE + 1));
  }

  /**
   * How a file can be damaged; each is found by the next hit, which drops it and serves nothing.
   */
  enum Damage {
    FLIPPED_BODY_BYTE {
      @Override
      void apply(Path file) throws IOException {
        flip(file, Files.size(file) - 1000);
      }
    },
    TRUNCATED {
      @Override
      void apply(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(channel.size() - 1);
        }
      }
    },
    CORRUPT_HEADER {
      @Override
      void apply(Path file) throws IOException {
        flip(file, 45); // inside the URL
      }
    },
    BODY_CLAIMS_ANOTHER_LENGTH {
      @Override
      void apply(Path file) throws IOException {
        flip(file, 17); // low byte of the body length: the header checksum catches it
      }
    };

    abstract void apply(Path file) throws IOException;

    static void flip(Path file, long at) throws IOException {
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, at);
        one.put(0, (byte) (one.get(0) ^ 0x20)).rewind();
        channel.write(one, at);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedFileIsNeverServedAndIsDeleted(Damage damage) throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE));
    damage.apply(objectFiles().get(0));

    assertThat(store.get("http://h/large")).isNull();

    assertThat(objectFiles()).isEmpty();
    assertThat(store.stats().damaged()).isEqualTo(1);
    assertThat(store.stats().diskObjects()).isZero();
    assertThat(store.varyOf("http://h/large")).isNull();
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedFileIsDroppedOnStartWhenItsHeaderShowsIt(Damage damage) throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE));
    damage.apply(objectFiles().get(0));

    open();

    // Start-up reads headers only: a body byte flip is found on the first hit instead.
    assertThat(store.get("http://h/large")).isNull();
    assertThat(objectFiles()).isEmpty();
    assertThat(store.stats().damaged()).isEqualTo(1);
  }

  /**
   * Files never change in place, so the first hit in a process reads the body for its checksum and
   * later hits check only the header and the length: a hit does not cost a read of the whole body
   * each time. A same-length change after that first check is found on the next start.
   */
  @Test
  void aBodyIsCheckedOnceInAProcessAndItsLengthOnEveryHit() throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE));
    Stores.put(store, Heads.ok("http://h/other"), Bodies.of("other", LARGE));
    assertThat(store.get("http://h/large")).isNotNull();
    assertThat(store.get("http://h/other")).isNotNull();
    List<Path> files = objectFiles();

    Damage.TRUNCATED.apply(files.get(1));
    assertThat(store.get("http://h/other")).as("length checked on every hit").isNull();

    Damage.FLIPPED_BODY_BYTE.apply(files.get(0));
    assertThat(store.get("http://h/large")).as("body not read again").isNotNull();
    open();
    assertThat(store.get("http://h/large")).as("body checked once in the new process").isNull();
    assertThat(objectFiles()).isEmpty();
  }

  /**
   * The caller of a lookup is an event loop: the first read of a body, which checks it, runs on the
   * disk tier's reads instead. The object is found at once, with its check running, and gives no
   * byte of its body before the check has passed; lookups meanwhile share that one read.
   */
  @Test
  void aBodyIsCheckedOffTheCallersThreadAndGivenOnlyOnceItPassed() throws Exception {
    open();
    byte[] body = Bodies.of("large", LARGE);
    Stores.put(store, Heads.ok("http://h/large"), body);
    store.close();
    try (HeldReads reads = new HeldReads()) {
      store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, NioStoreFiles.INSTANCE, reads);

      CachedObject first = store.get("http://h/large");
      CachedObject second = store.get("http://h/large");

      CompletionStage<Boolean> check = first.bodyCheck();
      assertThat(first.length()).isEqualTo(LARGE);
      assertThat(check).as("checking").isNotNull();
      assertThat(first.open()).as("nothing before the check passed").isNull();
      assertThat(second.bodyCheck()).isNotNull();
      assertThat(reads.asked()).as("one read for both").isOne();

      reads.release();

      assertThat(check.toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Bodies.read(first)).isEqualTo(body);
      assertThat(Bodies.read(second)).isEqualTo(body);
      assertThat(store.get("http://h/large").bodyCheck()).as("checked once").isNull();
      assertThat(reads.asked()).isOne();
      store.close();
      store = null;
    }
  }

  @Test
  void aBodyThatFailsItsCheckIsNeverGivenAndIsDropped() throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE));
    store.close();
    Damage.FLIPPED_BODY_BYTE.apply(objectFiles().get(0));
    try (HeldReads reads = new HeldReads()) {
      store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, NioStoreFiles.INSTANCE, reads);
      CachedObject hit = store.get("http://h/large");
      CompletionStage<Boolean> check = hit.bodyCheck();

      reads.release();

      assertThat(check.toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(hit.open()).isNull();
      assertThat(store.get("http://h/large")).isNull();
      assertThat(store.stats().damaged()).isEqualTo(1);
      assertThat(objectFiles()).isEmpty();
      store.close();
      store = null;
    }
  }

  /**
   * A small body's first read checks it and copies it into memory at once: one read, off the
   * caller.
   */
  @Test
  void aSmallBodyIsCopiedIntoMemoryByTheReadThatChecksIt() throws Exception {
    open();
    byte[] body = Bodies.of("small", SMALL);
    Stores.put(store, Heads.ok("http://h/small"), body);
    store.close();
    try (HeldReads reads = new HeldReads()) {
      store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, NioStoreFiles.INSTANCE, reads);

      CachedObject fromDisk = store.get("http://h/small");
      assertThat(fromDisk.inMemory()).isFalse();
      assertThat(store.stats().memoryObjects()).isZero();
      CompletionStage<Boolean> check = fromDisk.bodyCheck();
      reads.release();
      assertThat(check.toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();

      assertThat(Bodies.read(fromDisk)).isEqualTo(body);
      CachedObject fromMemory = store.get("http://h/small");
      assertThat(fromMemory.inMemory()).isTrue();
      assertThat(Bodies.read(fromMemory)).isEqualTo(body);
      assertThat(reads.asked()).isOne();
      store.close();
      store = null;
    }
  }

  @Test
  void temporaryLeftoversAreDeletedOnStart() throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    Files.write(dir.resolve("tmp").resolve("00000000000000aa.tmp"), new byte[1234]);

    open();

    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void objectsLargerThanTheLargestAreNotStored() throws Exception {
    open();
    assertThat(store.begin(Heads.ok("http://h/huge"), LARGEST + 1)).as("declared").isNull();

    ObjectWriter writer = store.begin(Heads.ok("http://h/huge"), -1);
    assertThat(Bodies.write(writer, Bodies.of("huge", (int) LARGEST + 1), 64 * 1024))
        .as("grown past it")
        .isFalse();
    assertThat(writer.commit().join()).isFalse();

    assertThat(store.get("http://h/huge")).isNull();
    assertThat(tempFiles()).isEmpty();
    assertThat(objectFiles()).isEmpty();
  }

  @Test
  void diskEvictionKeepsTheByteBoundAndThePopularObject() throws Exception {
    store = Stores.onDisk(dir, 64 * 1024, 1 << 20, LARGEST); // memory takes nothing this large
    byte[] popular = Bodies.of("popular", 100_000);
    Stores.put(store, Heads.ok("http://h/popular"), popular);
    for (int i = 0; i < 60; i++) {
      Stores.put(store, Heads.ok("http://h/once-" + i), Bodies.of("once-" + i, 100_000));
      for (int hits = 0; hits < 3; hits++) {
        assertThat(store.get("http://h/popular")).isNotNull();
      }
      store.cleanUp();
      assertThat(store.stats().diskBytes()).isLessThanOrEqualTo(1 << 20);
      assertThat(filesBytes()).isLessThanOrEqualTo(1 << 20);
    }

    assertThat(Bodies.read(store.get("http://h/popular"))).isEqualTo(popular);
    assertThat(objectFiles()).hasSize((int) store.stats().diskObjects());
  }

  @Test
  void updateHeadKeepsTheBodyAndSurvivesARestart() throws Exception {
    open();
    byte[] body = Bodies.of("large", LARGE);
    Stores.put(store, Heads.ok("http://h/large"), body);

    store.updateHead(Heads.withHeader(Heads.ok("http://h/large"), "ETag", "\"v2\""));
    open();

    CachedObject hit = store.get("http://h/large");
    assertThat(hit.head().headers().get("ETag")).isEqualTo("\"v2\"");
    assertThat(Bodies.read(hit)).isEqualTo(body);
    assertThat(objectFiles()).hasSize(1);
  }

  @Test
  void aReaderKeepsItsFileWhileTheObjectIsRemoved() throws Exception {
    open();
    byte[] body = Bodies.of("large", LARGE);
    Stores.put(store, Heads.ok("http://h/large"), body);
    CachedObject hit = store.get("http://h/large");

    try (CachedObject.Body opened = hit.open()) {
      assertThat(store.removeUrl("http://h/large")).isTrue();
      assertThat(objectFiles()).isEmpty();

      CachedObject.OnDisk region = (CachedObject.OnDisk) opened;
      ByteBuffer all = ByteBuffer.allocate(LARGE);
      while (all.hasRemaining()) {
        region.file().read(all, region.offset() + all.position());
      }
      assertThat(all.array()).isEqualTo(body);
    }
    assertThat(hit.open()).isNull();
  }

  @Test
  void aFailingDiskStopsDiskWritesWithOneWarningAndTheStoreKeepsServing() throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    StoreFiles fillable =
        new NioStoreFiles() {
          @Override
          public FileChannel createNew(Path path) throws IOException {
            return full.get()
                // Every write to /dev/full fails with ENOSPC, as a full disk does.
                ? FileChannel.open(
                    Path.of("/dev/full"), StandardOpenOption.READ, StandardOpenOption.WRITE)
                : super.createNew(path);
          }
        };
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, fillable);
    Stores.put(store, Heads.ok("http://h/before"), Bodies.of("before", LARGE));
    Logger logger = (Logger) LoggerFactory.getLogger(DiskTier.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);

    full.set(true);
    try {
      assertThat(Stores.put(store, Heads.ok("http://h/large"), Bodies.of("large", LARGE)))
          .isFalse();
      assertThat(Stores.put(store, Heads.ok("http://h/large2"), Bodies.of("large2", LARGE)))
          .isFalse();
      assertThat(Stores.put(store, Heads.ok("http://h/small"), Bodies.of("small", SMALL))).isTrue();
    } finally {
      logger.detachAppender(log);
    }

    assertThat(store.stats().diskWritesDisabled()).isTrue();
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
    assertThat(log.list.get(0).getFormattedMessage()).contains("No space left on device");
    assertThat(store.get("http://h/small").inMemory()).isTrue();
    assertThat(Bodies.read(store.get("http://h/before"))).isEqualTo(Bodies.of("before", LARGE));
  }

  @Test
  void aDiskWriterInProgressIsReadFromAnotherThread() throws Exception {
    open();
    byte[] body = Bodies.of("collapsed", LARGE);
    ObjectWriter writer = store.begin(Heads.ok("http://h/c"), body.length);
    assertThat(writer).isInstanceOf(DiskWriter.class);
    CompletableFuture<byte[]> follower =
        CompletableFuture.supplyAsync(() -> MemoryStoreTest.follow(writer, body.length));

    Bodies.write(writer, body, 1000);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(body);
    assertThat(writer.commit().join()).isTrue();
  }

  /**
   * A client collapsed onto a download reads the writer until it finds it finished, then the stored
   * object: there must be no moment when neither answers, or it would be cut off.
   */
  @Test
  void aDiskWriterStaysReadableUntilItsObjectIsVisible() throws Exception {
    AtomicReference<ObjectWriter> writer = new AtomicReference<>();
    AtomicReference<String> whenVisible = new AtomicReference<>();
    UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    DiskTier.Listener listener =
        new DiskTier.Listener() {
          @Override
          public void stored(DiskEntry entry) {
            try {
              writer.get().read(0, 10, alloc).release();
              whenVisible.set("writer readable");
            } catch (IllegalStateException finished) {
              whenVisible.set("writer finished");
            }
          }

          @Override
          public void removed(DiskEntry entry) {}
        };
    try (DiskTier tier =
        DiskTier.open(
            dir,
            DISK,
            Runnable::run,
            Runnable::run,
            NioStoreFiles.INSTANCE,
            alloc,
            listener,
            System::nanoTime)) {
      writer.set(tier.begin(Heads.ok("http://h/c"), LARGEST));
      Bodies.write(writer.get(), Bodies.of("c", LARGE), 8192);

      assertThat(writer.get().commit().get(10, TimeUnit.SECONDS)).isTrue();

      assertThat(whenVisible.get()).isEqualTo("writer readable");
      assertThatThrownBy(() -> writer.get().read(0, 10, alloc))
          .as("finished once visible")
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void theStartUpLineSaysHowLongLoadingTookByTheTickerGiven() throws Exception {
    open();
    Stores.put(store, Heads.ok("http://h/small"), Bodies.of("small", SMALL));
    store.close();
    store = null;
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    LongSupplier ticker = () -> nanos.getAndAdd(42_000_000); // each look moves time 42 ms on
    Logger logger = (Logger) LoggerFactory.getLogger(DiskTier.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      store =
          Stores.onDisk(dir, MEMORY, DISK, LARGEST, NioStoreFiles.INSTANCE, Runnable::run, ticker);
    } finally {
      logger.setLevel(level);
      logger.detachAppender(log);
    }

    assertThat(log.list)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains(": 1 objects, ")
        .endsWith(" skipped, in 42 ms");
  }

  @Test
  void aTeeWriterInProgressIsReadFromAnotherThread() throws Exception {
    open();
    byte[] body = Bodies.of("collapsed", 300_000); // starts in memory, outgrows it
    ObjectWriter writer = store.begin(Heads.ok("http://h/c"), -1);
    assertThat(writer).isInstanceOf(TeeWriter.class);
    CompletableFuture<byte[]> follower =
        CompletableFuture.supplyAsync(() -> MemoryStoreTest.follow(writer, body.length));

    Bodies.write(writer, body, 1000);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(body);
    assertThat(writer.commit().join()).isTrue();
    assertThat(store.get("http://h/c").inMemory()).isFalse();
  }

  @Test
  void aSecondStoreCannotOpenADirectoryInUse() throws Exception {
    open();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Stores.onDisk(dir, MEMORY, DISK, LARGEST).close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void startUpWithThousandsOfObjectsReadsOnlyHeaders() throws Exception {
    int count = 3000;
    for (int i = 0; i < count; i++) {
      EntryFiles.write(dir, i + 1, Heads.ok("http://h/many-" + i), Bodies.of("many-" + i, 2000));
    }

    long started = System.nanoTime();
    store = Stores.onDisk(dir, MEMORY, 64 << 20, LARGEST); // files weigh whole 4 KiB blocks
    long millis = (System.nanoTime() - started) / 1_000_000;

    System.out.printf("start-up over %d objects: %d ms%n", count, millis);
    assertThat(store.stats().diskObjects()).isEqualTo(count);
    assertThat(Bodies.read(store.get("http://h/many-1234")))
        .isEqualTo(Bodies.of("many-1234", 2000));
    Stores.put(store, Heads.ok("http://h/new"), Bodies.of("new", LARGE));
    assertThat(objectFiles()).as("a new name, after every file found").hasSize(count + 1);
  }

  @Test
  void onStartOnlyTheNewestVersionOfAKeyIsKept() throws Exception {
    EntryFiles.write(dir, 7, Heads.ok("http://h/a"), Bodies.of("old", 100));
    EntryFiles.write(dir, 9, Heads.ok("http://h/a"), Bodies.of("new", 100));

    open();

    assertThat(Bodies.read(store.get("http://h/a"))).isEqualTo(Bodies.of("new", 100));
    assertThat(objectFiles()).hasSize(1);
  }

  private List<Path> objectFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.toList();
    }
  }

  private long filesBytes() throws IOException {
    long total = 0;
    for (Path file : objectFiles()) {
      total += Files.size(file);
    }
    return total;
  }
}
