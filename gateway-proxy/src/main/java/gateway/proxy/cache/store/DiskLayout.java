package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the disk tier's files live under {@code cache.disk.path}:
 *
 * <pre>
 * lock                      held while a store uses the directory
 * tmp/00000000000001f3.tmp  an object being written; deleted on start
 * objects/f3/00000000000001f3
 *                           a committed object (see {@link EntryFormat}), named by a sequence
 *                           number never reused while the store runs, spread over 256 folders
 * </pre>
 *
 * Every version of an object gets a new name, so a name always means the same bytes: a reader that
 * opens a path gets what the index said was there, or nothing. Sequence numbers run from 1 to
 * {@link Long#MAX_VALUE}; names above that are not ours.
 *
 * <p>Nothing in the directory is trusted to be what its name says: no symbolic link is followed,
 * and only regular files are opened (a FIFO would block the opening thread until a writer came).
 * Every file operation goes through {@link StoreFiles}.
 */
final class DiskLayout {
  /** What the store takes the next sequence number to be once every one has been used. */
  static final long NO_SEQ = -1;

  private final Path root;
  private final StoreFiles files;
  private final Path objects;
  private final Path tmp;

  /** The layout of {@code root} on the real disk. */
  DiskLayout(Path root) {
    this(root, NioStoreFiles.INSTANCE);
  }

  DiskLayout(Path root, StoreFiles files) {
    this.root = root;
    this.files = files;
    this.objects = root.resolve("objects");
    this.tmp = root.resolve("tmp");
  }

  Path root() {
    return root;
  }

  StoreFiles files() {
    return files;
  }

  Path lockFile() {
    return root.resolve("lock");
  }

  Path objects() {
    return objects;
  }

  Path tmp() {
    return tmp;
  }

  Path temp(long seq) {
    return tmp.resolve(String.format("%016x.tmp", seq));
  }

  Path object(long seq) {
    return objects.resolve(String.format("%02x", seq & 0xff)).resolve(String.format("%016x", seq));
  }

  /** The sequence number an object file is named by, or -1 for a name we did not write. */
  static long seqOf(Path file) {
    return hex16(file.getFileName().toString());
  }

  /** Whether {@code file} is named as {@link #temp} names temporary files. */
  static boolean isTempName(Path file) {
    String name = file.getFileName().toString();
    return name.length() == 20 && name.endsWith(".tmp") && hex16(name.substring(0, 16)) >= 0;
  }

  /** Whether {@code folder} is named as {@link #object} names the folders of objects. */
  static boolean isFolderName(Path folder) {
    String name = folder.getFileName().toString();
    return name.length() == 2 && isLowerHex(name);
  }

  /**
   * Opens {@code file} for reading if it is a regular file, following no link: the type is checked
   * before the open, and the open itself refuses a link that took the file's place meanwhile.
   *
   * @throws FileSystemException naming the file and what it is, when it is not a regular file
   */
  FileChannel openRegular(Path file) throws IOException {
    BasicFileAttributes attributes = attributes(file);
    if (!attributes.isRegularFile()) {
      throw new FileSystemException(
          file.toString(), null, "not a regular file (" + kind(attributes) + ")");
    }
    return files.openRead(file);
  }

  /** The file's own attributes, not those of what a link points to. */
  BasicFileAttributes attributes(Path file) throws IOException {
    return files.attributes(file);
  }

  /** Whether {@code path} is there, as itself (a link counts, not what it points to). */
  private boolean exists(Path path) {
    try {
      files.attributes(path);
      return true;
    } catch (IOException e) {
      return false; // as Files.exists: missing, or its existence cannot be told
    }
  }

  /** What a file that is not a regular one is, for log lines. */
  static String kind(BasicFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (attributes.isDirectory()) {
      return "a directory";
    }
    if (attributes.isRegularFile()) {
      return "a regular file";
    }
    return "a FIFO, socket or device";
  }

  /**
   * Deletes {@code file} if it is a regular file; a link, directory or FIFO found under an indexed
   * name was put there by someone else and is left alone.
   */
  void deleteIfRegular(Path file) throws IOException {
    try {
      if (attributes(file).isRegularFile()) {
        files.deleteIfExists(file);
      }
    } catch (NoSuchFileException gone) {
      // Nothing to delete.
    }
  }

  private static long hex16(String name) {
    if (name.length() != 16 || !isLowerHex(name)) {
      return -1;
    }
    long seq = Long.parseUnsignedLong(name, 16);
    return seq > 0 ? seq : -1; // above Long.MAX_VALUE (negative here), and 0, were never written
  }

  private static boolean isLowerHex(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** Makes a rename into {@code dir} durable: the directory's own entries are synced. */
  void syncDirectory(Path dir) throws IOException {
    files.syncDirectory(dir);
  }

  /**
   * Creates the store's folders where missing.
   *
   * @throws IOException when one of them, or the lock file, is there but is a link or not of its
   *     kind: the store never follows links in its directory
   */
  void createDirectories() throws IOException {
    for (Path folder : new Path[] {objects, tmp}) {
      if (exists(folder) && !attributes(folder).isDirectory()) {
        throw new FileSystemException(
            folder.toString(),
            null,
            "is "
                + kind(attributes(folder))
                + ", not a directory: the cache store follows no"
                + " symbolic link in its directory; remove it");
      }
      files.createDirectories(folder);
    }
    Path lock = lockFile();
    if (exists(lock) && !attributes(lock).isRegularFile()) {
      throw new FileSystemException(
          lock.toString(),
          null,
          "is " + kind(attributes(lock)) + ", not a regular file; remove it");
    }
  }

  /** Creates the folder {@code object} lies in, refusing one that is a link or not a directory. */
  void createFolderOf(Path object) throws IOException {
    Path folder = object.getParent();
    if (exists(folder) && !attributes(folder).isDirectory()) {
      throw new FileSystemException(
          folder.toString(), null, "is " + kind(attributes(folder)) + ", not a directory");
    }
    files.createDirectories(folder);
  }
}
