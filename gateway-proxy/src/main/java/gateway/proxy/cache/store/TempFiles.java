package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates the file an object is written to before it is committed. The one place tests swap to make
 * the disk fail for real (a file on {@code /dev/full} fails every write with ENOSPC).
 */
@FunctionalInterface
interface TempFiles {
  TempFiles CREATE_NEW =
      path ->
          FileChannel.open(
              path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);

  FileChannel create(Path path) throws IOException;
}
