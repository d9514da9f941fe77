package gateway.proxy.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
 * opens a path gets what the index said was there, or nothing.
 */
final class DiskLayout {
  private final Path root;
  private final Path objects;
  private final Path tmp;

  DiskLayout(Path root) {
    this.root = root;
    this.objects = root.resolve("objects");
    this.tmp = root.resolve("tmp");
  }

  Path root() {
    return root;
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
    String name = file.getFileName().toString();
    if (name.length() != 16) {
      return -1;
    }
    try {
      return Long.parseUnsignedLong(name, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Makes a rename into {@code dir} durable: the directory's own entries are synced. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  void createDirectories() throws IOException {
    Files.createDirectories(objects);
    Files.createDirectories(tmp);
  }
}
