package dev.netwarden.web;

import org.eclipse.jetty.http.HttpFields;

/**
 * The headers every response carries. The Content-Security-Policy allows only the server's own
 * scripts, styles and connections and no inline script: even if a page inserted an attacker's host
 * name as HTML by mistake, the browser would not run what it contains.
 */
public final class SecurityHeaders {
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(HttpFields.Mutable headers, boolean api) {
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        if (api) {
            headers.put("Cache-Control", "no-store");
        }
    }
}
