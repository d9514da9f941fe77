package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The real disk, except that a chosen operation on a chosen path fails with an {@link IOException},
 * as a failing disk's would (after OkHttp's {@code FaultyFileSystem}). Thread-safe: the store calls
 * it from its executors.
 */
final class FaultyFiles implements StoreFiles {
  enum Op {
    ATTRIBUTES,
    OPEN_READ,
    CREATE_NEW,
    OPEN_LOCK,
    CREATE_DIRECTORIES,
    LIST,
    MOVE,
    DELETE,
    SYNC,
    SYNC_DIRECTORY
  }

  private record Fault(Op op, Predicate<Path> where, AtomicInteger left) {}

  private final StoreFiles disk = NioStoreFiles.INSTANCE;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final AtomicInteger failed = new AtomicInteger();

  /** The next {@code times} calls of {@code op} on a path {@code where} accepts fail. */
  FaultyFiles fail(Op op, Predicate<Path> where, int times) {
    faults.add(new Fault(op, where, new AtomicInteger(times)));
    return this;
  }

  /** The next call of {@code op} on a path whose file name ends with {@code suffix} fails. */
  FaultyFiles failOnce(Op op, String suffix) {
    return fail(op, p -> p.getFileName().toString().endsWith(suffix), 1);
  }

  /** The next call of {@code op} on any path fails. */
  FaultyFiles failOnce(Op op) {
    return fail(op, p -> true, 1);
  }

  /** How many calls were made to fail so far. */
  int failed() {
    return failed.get();
  }

  private void check(Op op, Path path) throws IOException {
    for (Fault f : faults) {
      if (f.op() == op && f.where().test(path) && f.left().getAndDecrement() > 0) {
        failed.incrementAndGet();
        throw new IOException("injected failure: " + op + " " + path);
      }
    }
  }

  @Override
  public BasicFileAttributes attributes(Path file) throws IOException {
    check(Op.ATTRIBUTES, file);
    return disk.attributes(file);
  }

  @Override
  public FileChannel openRead(Path file) throws IOException {
    check(Op.OPEN_READ, file);
    return disk.openRead(file);
  }

  @Override
  public FileChannel createNew(Path file) throws IOException {
    check(Op.CREATE_NEW, file);
    return disk.createNew(file);
  }

  @Override
  public FileChannel openLock(Path file) throws IOException {
    check(Op.OPEN_LOCK, file);
    return disk.openLock(file);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    check(Op.CREATE_DIRECTORIES, dir);
    disk.createDirectories(dir);
  }

  @Override
  public DirectoryStream<Path> list(Path dir) throws IOException {
    check(Op.LIST, dir);
    return disk.list(dir);
  }

  @Override
  public void moveAtomically(Path from, Path to) throws IOException {
    check(Op.MOVE, from);
    disk.moveAtomically(from, to);
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    check(Op.DELETE, file);
    return disk.deleteIfExists(file);
  }

  @Override
  public void sync(FileChannel channel, Path file) throws IOException {
    check(Op.SYNC, file);
    disk.sync(channel, file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    check(Op.SYNC_DIRECTORY, dir);
    disk.syncDirectory(dir);
  }
}
