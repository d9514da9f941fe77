/**
 * RFC 9111 as pure functions of the request, the stored head and the time, which is always passed
 * in ({@code now}, epoch milliseconds): nothing here reads a clock, touches a file or a channel.
 * Open {@link gateway.proxy.cache.policy.CacheDecision} first (serve, validate or miss), then
 * {@link gateway.proxy.cache.policy.Freshness}, {@link gateway.proxy.cache.policy.Storability} and
 * {@link gateway.proxy.cache.policy.Validation}. {@link gateway.proxy.cache.policy.StoredHead} is
 * the stored response without its body that they all decide on.
 *
 * <p>Depends on nothing else in the cache; tested by tables that cite the RFC clause per row.
 */
package gateway.proxy.cache.policy;
