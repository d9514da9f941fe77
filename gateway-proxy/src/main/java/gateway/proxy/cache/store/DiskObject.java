package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A disk hit, its header and length checked when it was found, and its body checked then or by
 * {@code check}. Opening it opens the file anew: since a file's name is never reused for other
 * bytes (see {@link DiskLayout}), the file is either the one checked or gone. Gone after a 304 (the
 * new head is written to a new file with the same body, and this file deleted), the body is read
 * from the new file, if that one's body has passed its check too.
 *
 * @param check the check of the body, running when the object was found; null when the body had
 *     passed before
 */
record DiskObject(
    DiskReads reads, DiskEntry entry, EntryFormat.Header header, CompletableFuture<Boolean> check)
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
  public CompletionStage<Boolean> bodyCheck() {
    return check == null || check.isDone() ? null : check;
  }

  @Override
  public Body open() {
    if (check != null && !check.getNow(false)) {
      return null; // its body has not passed its check (yet): not one byte of it is served
    }
    try {
      return openFile();
    } catch (NoSuchFileException e) {
      return reads.openSameBody(this);
    }
  }

  /** This object's own file, or null when it is damaged or unreadable. */
  OnDisk openFile() throws NoSuchFileException {
    FileChannel file;
    try {
      file = reads.layout().openRegular(entry.file());
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      reads.openFailed(); // not dropped, as before: this one open failed, the file may be fine
      return null;
    }
    OnDisk body = new OnDisk(file, header.length(), header.bodyLength());
    try {
      if (file.size() == header.fileSize()) {
        return body;
      }
      reads.dropDamaged(entry, "size changed to " + file.size());
    } catch (IOException e) {
      reads.readFailed(entry, e);
    }
    body.close();
    return null;
  }
}
