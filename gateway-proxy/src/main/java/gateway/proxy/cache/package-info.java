/**
 * The shared HTTP cache as the request path sees it: open {@link gateway.proxy.cache.HttpCache}
 * first. It decides with {@link gateway.proxy.cache.policy} (pure RFC 9111) and keeps responses in
 * {@link gateway.proxy.cache.store} (memory and disk); it also collapses concurrent misses for one
 * URL onto one download. {@link gateway.proxy.cache.CacheCounters} counts its hit ratio.
 *
 * <p>Dependencies run one way: cache, then store, then policy.
 */
package gateway.proxy.cache;
