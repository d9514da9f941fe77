/**
 * The access-log writer: {@code AccessLog} (open it first) takes each finished request's record and
 * never blocks an event loop; {@code AccessLogWriter} writes Squid lines from a thread of its own
 * with a bounded queue and a counted drop. The last step of the request's path.
 */
package gateway.proxy.log;
