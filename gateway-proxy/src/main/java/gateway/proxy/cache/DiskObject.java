package gateway.proxy.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * A disk hit, checked when it was found. Opening it opens the file anew: since a file's name is
 * never reused for other bytes (see {@link DiskLayout}), the file is either the one checked or gone.
 */
record DiskObject(DiskTier tier, DiskEntry entry, EntryFormat.Header header)
    implements CachedObject {

  @Override
  public StoredHead head() {
    return header.head();
  }

  @Override
  public long length() {
    return header.bodyLength();
  }

  @Override
  public boolean inMemory() {
    return false;
  }

  @Override
  public Body open() {
    FileChannel file;
    try {
      file = FileChannel.open(entry.file(), StandardOpenOption.READ);
    } catch (IOException e) {
      return null; // evicted or replaced since it was found
    }
    OnDisk body = new OnDisk(file, header.length(), header.bodyLength());
    try {
      if (file.size() == header.fileSize()) {
        return body;
      }
      tier.dropDamaged(entry, "size changed to " + file.size());
    } catch (IOException e) {
      tier.dropDamaged(entry, e.toString());
    }
    body.close();
    return null;
  }
}
