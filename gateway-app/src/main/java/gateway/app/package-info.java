/**
 * The gateway as a program: {@code Main} and its commands start, reload and stop one {@code Gateway},
 * whose parts are wired by hand (no DI framework) from a checked config. A request's path does not
 * pass through here: this package builds the path (listener, uplink selection, health, cache, access
 * log) and swaps its parts on a reload; the request itself runs in {@code gateway.proxy}.
 */
package gateway.app;
