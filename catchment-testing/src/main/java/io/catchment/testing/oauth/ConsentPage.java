package io.catchment.testing.oauth;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The consent page {@link FakeOAuthProvider#showConsentPage(boolean)} serves: the question a provider
 * asks its user before sending the browser back with a code. Small, accessible HTML (a language,
 * a title, labelled buttons, contrast above 4.5:1, visible focus), so pages under test that lead
 * to it can be checked end to end in a real browser.
 */
final class ConsentPage {
    /** Where the page's form posts its decision. */
    static final String PATH = "/consent";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("GOOGLE", "Google"), Map.entry("GOOGLE_DRIVE", "Google Drive"), Map.entry("GMAIL", "Gmail"),
            Map.entry("GOOGLE_CLOUD_STORAGE", "Google Cloud Storage"), Map.entry("MICROSOFT", "Microsoft"),
            Map.entry("ONEDRIVE", "OneDrive"), Map.entry("OUTLOOK", "Outlook"), Map.entry("SHAREPOINT", "SharePoint"),
            Map.entry("NOTION", "Notion"), Map.entry("SLACK", "Slack"), Map.entry("SALESFORCE", "Salesforce"),
            Map.entry("GONG", "Gong"), Map.entry("INTERCOM", "Intercom"), Map.entry("DROPBOX", "Dropbox"),
            Map.entry("BOX", "Box"), Map.entry("ZENDESK", "Zendesk"), Map.entry("SERVICENOW", "ServiceNow"),
            Map.entry("CONFLUENCE", "Confluence"));

    private static final String STYLE = """
            body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f2937;background:#f3f4f6}
            main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d1d5db;border-radius:8px}
            h1{font-size:1.25rem;margin:0 0 1rem}
            code{font-size:.9rem;word-break:break-all}
            .actions{display:flex;gap:.75rem;margin-top:1.5rem}
            button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #1d4ed8;cursor:pointer}
            #allow{background:#1d4ed8;color:#fff}
            #deny{background:#fff;color:#1d4ed8}
            button:focus-visible{outline:3px solid #111827;outline-offset:2px}
            """;

    private ConsentPage() {}

    /** The whole page for one pending authorize request ({@code consentId} names it in the form). */
    static String html(String service, String clientId, String scope, FakeOAuthProvider.Account account,
                       String redirectUri, String consentId) {
        String name = escape(displayName(service));
        List<String> scopes = Arrays.stream(scope.split("[ ,]+")).filter(s -> !s.isBlank()).toList();
        String scopeList = scopes.isEmpty()
                ? "<p id=\"scopes\">No particular permissions: the app's defaults at " + name + ".</p>"
                : scopes.stream().map(s -> "<li><code>" + escape(s) + "</code></li>")
                .collect(Collectors.joining("", "<ul id=\"scopes\">", "</ul>"));
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in to %1$s — Allow access?</title>
                <link rel="icon" href="data:,">
                <style>%2$s</style>
                </head>
                <body>
                <main>
                <h1>Allow access to your %1$s account?</h1>
                <p>The app <strong id="client">%3$s</strong> asks for these permissions:</p>
                %4$s
                <p>Signed in as <span id="account">%5$s (%6$s)</span>.</p>
                <p>Your choice takes you back to <span id="return-to">%7$s</span>.</p>
                <form method="post" action="%8$s">
                <input type="hidden" name="consent_id" value="%9$s">
                <div class="actions">
                <button type="submit" id="allow" name="decision" value="allow">Allow</button>
                <button type="submit" id="deny" name="decision" value="deny">Deny</button>
                </div>
                </form>
                </main>
                </body>
                </html>
                """.formatted(name, STYLE, escape(clientId), scopeList, escape(account.name()), escape(account.email()),
                escape(origin(redirectUri)), PATH, escape(consentId));
    }

    /** The service as its users know it: {@code GOOGLE_DRIVE} is Google Drive. */
    static String displayName(String service) {
        String known = NAMES.get(service);
        if (known != null) return known;
        return Arrays.stream(service.toLowerCase(Locale.ROOT).split("_")).filter(w -> !w.isEmpty())
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining(" "));
    }

    private static String origin(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
