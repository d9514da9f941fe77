/**
 * The gateway's own answers, wherever on the request path they are given: error pages for refusals
 * and failures, the PAC file, PURGE; each logged in one access-log line, a refusal counted by its
 * reason. Open {@link gateway.proxy.answer.OwnAnswers} first; {@link
 * gateway.proxy.answer.ErrorPage} is the page itself.
 */
package gateway.proxy.answer;
