package gateway.proxy.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 */
final class DiskScan {
  private static final Logger log = LoggerFactory.getLogger(DiskScan.class);

  /**
   * @param entries one per key, oldest first (the order to put them into the index in)
   * @param nextSeq a sequence number above every file found
   */
  record Found(List<DiskEntry> entries, long damaged, long nextSeq) {}

  private DiskScan() {}

  static Found run(DiskLayout layout) throws IOException {
    deleteAll(layout.tmp());
    List<DiskEntry> found = new ArrayList<>();
    long damaged = 0;
    long maxSeq = 0;
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(layout.objects())) {
      for (Path folder : folders) {
        if (!Files.isDirectory(folder)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
          for (Path file : files) {
            long seq = DiskLayout.seqOf(file);
            maxSeq = Math.max(maxSeq, seq);
            DiskEntry entry = seq < 0 ? null : read(file, seq);
            if (entry == null) {
              damaged++;
              Files.deleteIfExists(file);
            } else {
              found.add(entry);
            }
          }
        }
      }
    }
    found.sort(Comparator.comparingLong(DiskEntry::seq));
    Map<String, DiskEntry> newest = new LinkedHashMap<>();
    for (DiskEntry entry : found) {
      DiskEntry older = newest.remove(entry.key());
      if (older != null) {
        // Only a crash between installing a new version and deleting the old one leaves both.
        Files.deleteIfExists(older.file());
      }
      newest.put(entry.key(), entry);
    }
    return new Found(List.copyOf(newest.values()), damaged, maxSeq + 1);
  }

  private static DiskEntry read(Path file, long seq) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      EntryFormat.Header header = EntryReader.readHeader(channel);
      return DiskEntry.of(header.head(), seq, file, header.fileSize());
    } catch (DamagedEntryException e) {
      log.debug("deleting damaged cache file {}: {}", file, e.getMessage());
      return null;
    }
  }

  private static void deleteAll(Path dir) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir)) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }
}
