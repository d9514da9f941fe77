package gateway.proxy.cache.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a disk tier holds when a store starts: reads only each file's header, deletes what was left
 * half-written or damaged, and keeps the newest version of each key.
 *
 * <p>Only what the store wrote is touched: regular files with its names and its magic. Anything
 * else found in its folders (a directory or FIFO with an object's name, a symbolic link, a foreign
 * file) is skipped, named in the log and left where it is; no link is followed, and no file other
 * than a regular one is opened, so an odd entry can neither stop nor hang the start.
 */
final class DiskScan {
  private static final Logger log = LoggerFactory.getLogger(DiskScan.class);

  /**
   * Files named one by one in the log; the rest only counted, so that a junk folder cannot flood
   * it.
   */
  static final int LOGGED = 20;

  /**
   * @param entries one per key, oldest first (the order to put them into the index in)
   * @param damaged our own files that did not check out, deleted
   * @param skipped files and folders that are not ours, left alone
   * @param nextSeq a sequence number above every valid entry found, or {@link DiskLayout#NO_SEQ}
   *     when an entry has the last one
   */
  record Found(List<DiskEntry> entries, long damaged, long skipped, long nextSeq) {}

  private final DiskLayout layout;
  private final List<DiskEntry> found = new ArrayList<>();
  private long damaged;
  private long skipped;
  private long logged;

  private DiskScan(DiskLayout layout) {
    this.layout = layout;
  }

  static Found run(DiskLayout layout) throws IOException {
    return new DiskScan(layout).scan();
  }

  private Found scan() throws IOException {
    deleteLeftovers();
    try (DirectoryStream<Path> folders = layout.files().list(layout.objects())) {
      for (Path folder : folders) {
        try {
          BasicFileAttributes attributes = layout.attributes(folder);
          if (!DiskLayout.isFolderName(folder)) {
            skip(folder, "not a folder of the store's");
          } else if (!attributes.isDirectory()) {
            skip(folder, DiskLayout.kind(attributes) + ", not a directory");
          } else {
            scanFolder(folder);
          }
        } catch (IOException e) {
          skip(folder, e.toString()); // unreadable: what it holds stays unknown, and untouched
        }
      }
    }
    long maxSeq = 0;
    for (DiskEntry entry : found) {
      maxSeq = Math.max(maxSeq, entry.seq());
    }
    found.sort(Comparator.comparingLong(DiskEntry::seq));
    Map<KeyDigest, DiskEntry> newest = new LinkedHashMap<>();
    for (DiskEntry entry : found) {
      DiskEntry older = newest.remove(entry.digest());
      if (older != null) {
        // Only a crash between installing a new version and deleting the old one leaves both.
        delete(older.file());
      }
      newest.put(entry.digest(), entry);
    }
    if (skipped + damaged > logged) {
      log.warn(
          "cache disk {}: {} more entries skipped or deleted, not named here",
          layout.root(),
          skipped + damaged - logged);
    }
    return new Found(List.copyOf(newest.values()), damaged, skipped, next(maxSeq));
  }

  /** The sequence number after {@code maxSeq}, or none when it was the last. */
  static long next(long maxSeq) {
    return maxSeq == Long.MAX_VALUE ? DiskLayout.NO_SEQ : Math.addExact(maxSeq, 1);
  }

  private void scanFolder(Path folder) throws IOException {
    try (DirectoryStream<Path> files = layout.files().list(folder)) {
      for (Path file : files) {
        long seq = DiskLayout.seqOf(file);
        if (seq < 0) {
          skip(file, "not a cache entry name");
          continue;
        }
        try (FileChannel channel = layout.openRegular(file)) {
          EntryFormat.Header header = EntryReader.readHeader(channel);
          found.add(DiskEntry.of(header.head(), seq, file, header.fileSize()));
        } catch (ForeignFileException e) {
          skip(file, "not a cache entry: " + e.getMessage());
        } catch (DamagedEntryException e) {
          damaged++;
          note("cache disk: deleting damaged entry {}: {}", file, e.getMessage());
          delete(file);
        } catch (IOException e) {
          skip(file, e.toString());
        }
      }
    }
  }

  /**
   * Deletes what writes in progress left in {@code tmp}: regular files with a temporary file's name
   * that are empty or start with four zero bytes or the entry magic. A {@link DiskWriter} leaves
   * the header's room unwritten until it commits (a hole, read as zeros), and writes the header,
   * magic first, on commit.
   */
  private void deleteLeftovers() throws IOException {
    try (DirectoryStream<Path> leftovers = layout.files().list(layout.tmp())) {
      for (Path leftover : leftovers) {
        if (!DiskLayout.isTempName(leftover)) {
          skip(leftover, "not a temporary file's name");
          continue;
        }
        try (FileChannel channel = layout.openRegular(leftover)) {
          ByteBuffer magic = ByteBuffer.allocate(4);
          channel.read(magic, 0);
          boolean ours =
              channel.size() == 0
                  || (magic.position() == 4
                      && (magic.getInt(0) == 0 || magic.getInt(0) == EntryFormat.MAGIC));
          if (!ours) {
            skip(leftover, "not a temporary file of the store: it starts with other bytes");
            continue;
          }
        } catch (IOException e) {
          skip(leftover, e.toString());
          continue;
        }
        delete(leftover);
      }
    }
  }

  /** Deletes a file of ours; one that cannot be deleted is named and stays. */
  private void delete(Path file) {
    try {
      layout.files().deleteIfExists(file);
    } catch (IOException e) {
      note("cache disk: could not delete {}: {}", file, e.toString());
    }
  }

  private void skip(Path path, String why) {
    skipped++;
    note("cache disk: skipping {}, left as it is: {}", path, why);
  }

  private void note(String format, Path path, String why) {
    if (logged < LOGGED) {
      logged++;
      log.warn(format, path, why);
    }
  }
}
