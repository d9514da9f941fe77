package gateway.proxy.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

/**
 * A disk hit, checked when it was found. Opening it opens the file anew: since a file's name is
 * never reused for other bytes (see {@link DiskLayout}), the file is either the one checked or gone.
 * Gone after a 304 (the new head is written to a new file with the same body, and this file
 * deleted), the body is read from the new file, checked again.
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
  public java.util.concurrent.CompletionStage<Boolean> bodyCheck() {
    return null; // checked when it was found
  }

  @Override
  public Body open() {
    try {
      return openFile();
    } catch (NoSuchFileException e) {
      return tier.openSameBody(this);
    }
  }

  /** This object's own file, or null when it is damaged or unreadable. */
  OnDisk openFile() throws NoSuchFileException {
    FileChannel file;
    try {
      file = FileChannel.open(entry.file(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      return null;
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
