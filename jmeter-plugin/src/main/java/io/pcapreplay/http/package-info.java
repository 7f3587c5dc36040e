/**
 * HTTP/1.x awareness on top of the session model ({@code pcap} only): what goreplay users expect of an HTTP replay.
 *
 * <ul>
 * <li>{@link io.pcapreplay.http.RewriteRules}: goreplay-style rules ({@code --http-rewrite-url},
 * {@code --http-set-header}, {@code --http-remove-header}, {@code --http-allow-url}, ...), one per line.</li>
 * <li>{@link io.pcapreplay.http.HttpSessionRewriter}: parses the HTTP/1.x requests of a
 * {@link io.pcapreplay.pcap.RecordedSession}'s client stream and builds a rewritten session (new client stream,
 * exchange bounds and think times; recorded responses unchanged); Content-Length and chunked framing stay right,
 * excluded requests are dropped with their responses, a non-HTTP session is returned unchanged.</li>
 * <li>{@link io.pcapreplay.http.GorFileReader}: sessions from goreplay's {@code .gor} files.</li>
 * <li>{@link io.pcapreplay.http.ResponseComparison}: compares a replayed response with the recorded one.</li>
 * <li>{@link io.pcapreplay.http.PathNormalizer}: {@code /user/1234} to {@code /user/{id}} for sample labels.</li>
 * </ul>
 */
package io.pcapreplay.http;
