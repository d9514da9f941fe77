/**
 * The cache leg, between admission and the origin leg (the analogue of OkHttp's CacheInterceptor):
 * it carries out what the cache decides for a request: a stored answer, a 304, a revalidation, a
 * refetch, a download into the cache, a client fed from another's download, a background refresh.
 * Open {@link gateway.proxy.caching.CacheLeg} first; the RFC 9111 decisions themselves are the
 * cache package's.
 */
package gateway.proxy.caching;
