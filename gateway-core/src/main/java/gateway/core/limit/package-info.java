/**
 * Transfer rates as the config writes them ({@code 10Mbit}, {@code 2MiB/s}); open {@code Rate}. A
 * pure value the per-client limits of {@code gateway.proxy.limit} are built from.
 */
package gateway.core.limit;
