/**
 * Counters the running gateway keeps for the status page and {@code /metrics}: per uplink ({@code
 * UplinkCounters}, open it first) and per access rule ({@code RuleCounters}). Beside the request's
 * path: admission and the upstream connect count into them.
 */
package gateway.core.metrics;
