package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** {@link StoreFiles} over {@code java.nio.file}: the real disk. */
class NioStoreFiles implements StoreFiles {
  static final NioStoreFiles INSTANCE = new NioStoreFiles();

  @Override
  public BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public FileChannel openRead(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public FileChannel createNew(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @Override
  public FileChannel openLock(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  @SuppressWarnings(
      "StreamResourceLeak") // handed to the caller, which closes it (try-with-resources)
  public DirectoryStream<Path> list(Path dir) throws IOException {
    return Files.newDirectoryStream(dir);
  }

  @Override
  public void moveAtomically(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  @Override
  public void sync(FileChannel channel, Path file) throws IOException {
    channel.force(true);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
