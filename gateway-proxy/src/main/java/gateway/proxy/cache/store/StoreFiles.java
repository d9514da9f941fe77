package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file operations of the disk tier, and the only way it reaches the file system: {@link
 * NioStoreFiles} in the gateway; in tests, one that fails a chosen operation on a chosen path, the
 * way a failing disk does. None follows a symbolic link.
 */
interface StoreFiles {

  /** The file's own attributes, not those of what a link points to. */
  BasicFileAttributes attributes(Path file) throws IOException;

  /** Opens {@code file} for reading, refusing a symbolic link. */
  FileChannel openRead(Path file) throws IOException;

  /** Creates {@code file}, which must not exist yet, for writing and reading back. */
  FileChannel createNew(Path file) throws IOException;

  /** Opens {@code file} for writing, creating it if missing, refusing a symbolic link: the lock. */
  FileChannel openLock(Path file) throws IOException;

  /** Creates {@code dir} and its missing parents. */
  void createDirectories(Path dir) throws IOException;

  /** The entries of {@code dir}; the caller closes the stream. */
  DirectoryStream<Path> list(Path dir) throws IOException;

  /** Renames {@code from} to {@code to} atomically: a reader sees the old name or the new one. */
  void moveAtomically(Path from, Path to) throws IOException;

  /** Deletes {@code file} if it is there; true if it was. */
  boolean deleteIfExists(Path file) throws IOException;

  /** Makes what was written to {@code file}, open as {@code channel}, durable (fsync). */
  void sync(FileChannel channel, Path file) throws IOException;

  /** Makes the entries of {@code dir} durable, such as a rename into it. */
  void syncDirectory(Path dir) throws IOException;
}
