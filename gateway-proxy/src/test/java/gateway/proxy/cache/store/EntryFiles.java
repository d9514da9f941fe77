package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Lays entry files down directly in the documented format, without the store's syncs. */
final class EntryFiles {
  private EntryFiles() {}

  static Path write(Path root, long seq, StoredHead head, byte[] body) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer header = EntryFormat.encode(head, body.length, (int) crc.getValue());
    byte[] file = new byte[header.remaining() + body.length];
    header.get(file, 0, header.remaining());
    System.arraycopy(body, 0, file, file.length - body.length, body.length);
    Path path = new DiskLayout(root).object(seq);
    Files.createDirectories(path.getParent());
    return Files.write(path, file);
  }
}
