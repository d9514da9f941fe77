/**
 * Time windows of access rules ({@code [DAYS] HH:MM-HH:MM}, local time), parsed from the config and
 * asked at admission whether a rule applies now. Pure values; open {@code TimeWindow}.
 */
package gateway.core.access;
