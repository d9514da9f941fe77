/**
 * The access log's record and its Squid line: {@code AccessRecord} (open it first) is what one
 * finished request or tunnel leaves, {@code SquidLine} formats it (the golden format), {@code
 * CacheAction} is Squid's result code. The last step of the request's path; the writer is {@code
 * gateway.proxy.log}.
 */
package gateway.core.log;
