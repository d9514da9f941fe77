/**
 * Where responses are kept: open {@link gateway.proxy.cache.store.CacheStore} (the interface) and
 * {@code TieredStore} (a memory tier, and a disk tier behind it), which {@link
 * gateway.proxy.cache.store.CacheStores} opens from the configuration. A body streams in through an
 * {@link gateway.proxy.cache.store.ObjectWriter} and becomes visible on commit; a {@link
 * gateway.proxy.cache.store.Fill} feeds clients collapsed onto a download in progress.
 *
 * <p>The disk tier ({@code DiskTier}: its lock, index, reads and commits) writes the format {@code
 * EntryFormat} documents, in the folders {@code DiskLayout} names, and reaches the disk only
 * through {@code StoreFiles}, which tests replace to make a rename, sync or read fail. Time comes
 * in as a ticker. Depends on {@link gateway.proxy.cache.policy} only.
 */
package gateway.proxy.cache.store;
