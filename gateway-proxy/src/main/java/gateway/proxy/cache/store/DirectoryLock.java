package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lock} file of a store's directory, held while the store uses it: a second store on the
 * same directory, in another process or this one, fails to open instead of sharing the files.
 */
final class DirectoryLock implements AutoCloseable {
  // The disk tier's lines keep one logger, whichever of its parts writes them.
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  private final DiskLayout layout;
  private final FileChannel file;
  private final FileLock lock;

  private DirectoryLock(DiskLayout layout, FileChannel file, FileLock lock) {
    this.layout = layout;
    this.file = file;
    this.lock = lock;
  }

  /** Takes the lock of {@code layout}'s directory, whose folders exist. */
  static DirectoryLock take(DiskLayout layout) throws IOException {
    FileChannel file = layout.files().openLock(layout.lockFile());
    FileLock locked;
    try {
      locked = file.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      locked = null;
    }
    if (locked == null) {
      file.close();
      throw new IOException(layout.root() + " is in use by another cache store");
    }
    return new DirectoryLock(layout, file, locked);
  }

  /** Releases the directory; its files stay for the next start. */
  @Override
  public void close() {
    try {
      lock.release();
      file.close();
    } catch (IOException e) {
      log.debug("releasing {}: {}", layout.lockFile(), e.toString());
    }
  }
}
