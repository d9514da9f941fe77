/**
 * The admin listener ({@code admin.listen}): status page, {@code /api/status}, {@code /metrics} and
 * the PAC file, on an event loop of its own. Off the request's path: it reads what the running
 * gateway exposes, and the access log's tally ({@code TrafficTally}) counts each request as its log
 * record goes by.
 */
package gateway.app.admin;
