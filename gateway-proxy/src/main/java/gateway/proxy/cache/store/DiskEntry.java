package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.nio.file.Path;
import java.util.List;

/**
 * What the disk index keeps per object: enough to find, weigh and un-index it. The head, with the
 * full key, stays in the file and is read (and checked) on each hit.
 *
 * @param digest the key's digest, the index's key (see {@link KeyDigest})
 * @param vary the header names its {@code Vary} lists, for {@link CacheStore#varyOf}
 * @param size the file's size, header included
 */
record DiskEntry(KeyDigest digest, String url, List<String> vary, long seq, Path file, long size) {

  static DiskEntry of(StoredHead head, long seq, Path file, long size) {
    return new DiskEntry(
        KeyDigest.of(head.key()), head.url(), UrlIndex.varyNames(head.headers()), seq, file, size);
  }
}
