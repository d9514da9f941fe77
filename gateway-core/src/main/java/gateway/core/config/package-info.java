/**
 * The config: one HOCON file bound into typed records ({@code GatewayConfig}, open it first, and
 * one record per section), every problem collected as {@code file:line: message} ({@code
 * ConfigLoader}, {@code ConfigBinder}). Before the request's path: a request reads the records that
 * were checked at start or reload.
 */
package gateway.core.config;
