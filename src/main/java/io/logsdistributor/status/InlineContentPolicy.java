package io.logsdistributor.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of a page whose script and style are inline: only those exact blocks
 * (by their SHA-256) may run, the page may only talk to its own origin, and nothing may frame it.
 * The page handles an operator key, so a value that slipped into it as markup must not be able to run.
 */
final class InlineContentPolicy {

    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private InlineContentPolicy() {
    }

    static String of(String html) {
        return "default-src 'none'; script-src " + hashes(SCRIPT, html) + "; style-src " + hashes(STYLE, html)
                + "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String hashes(Pattern block, String html) {
        StringBuilder sources = new StringBuilder();
        Matcher matcher = block.matcher(html);
        while (matcher.find()) {
            sources.append(sources.length() == 0 ? "" : " ").append("'sha256-").append(sha256(matcher.group(1))).append('\'');
        }
        return sources.length() == 0 ? "'none'" : sources.toString();
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
