/**
 * The gateway as a program: one {@code Gateway} (open it first), started, reloaded and stopped by
 * the commands of {@code gateway.app.cli}, whose parts are wired by hand ({@code Wiring}, no DI
 * framework) from a checked config. A request's path does not pass through here: this package
 * builds the path (listener, uplink selection, health, cache, access log) and swaps its parts on a
 * reload; the request itself runs in {@code gateway.proxy}.
 */
package gateway.app;
