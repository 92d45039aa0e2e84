package io.catchment.server.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.tenancy.TokenPair;
import java.util.Optional;

/**
 * The pages a browser lands on after connecting: success (which service, which account), with the
 * file picker when the connection allows one, or an error that says what happened and what to do.
 */
public final class ConnectPages {
    private ConnectPages() {}

    /**
     * The picker's start: its data source, whether it opens at once, and the customer's tokens
     * when this load is the one that redeemed the hand-off (a reload finds them in the tab's session).
     */
    public record Picker(long dataSourceId, String service, boolean openAtOnce, Optional<TokenPair> tokens) {}

    public static Page success(Branding branding, String service, String account, String action, Optional<Picker> picker) {
        String name = ServiceNames.display(service);
        String message = switch (action) {
            case "UPDATE" -> "Your " + name + " account " + account + " is connected again.";
            case "SYNC" -> "Your " + name + " account " + account + " is connected.";
            default -> "Your " + name + " account " + account + " is connected.";
        };
        StringBuilder main = new StringBuilder()
                .append("<section class=\"card\" aria-labelledby=\"outcome-title\"><h1 id=\"outcome-title\">")
                .append(Html.escape(picker.isPresent() ? "Connected to " + name : "Connected")).append("</h1>")
                .append("<p class=\"status ok\">").append(Html.escape(message)).append("</p>");
        if (picker.isEmpty()) {
            main.append("<p>You can close this window.</p></section>");
            return Page.of(200, "Connected", branding, main.toString());
        }
        main.append("<p class=\"hint\" id=\"picker-hint\">Choose the files and folders to add. You can close this window")
                .append(" when you are done.</p></section>")
                .append("<section id=\"picker\" class=\"picker\" aria-label=\"Choose files\" hidden></section>")
                .append("<noscript><p>The file picker needs JavaScript.</p></noscript>");
        Picker p = picker.get();
        ObjectNode boot = Json.object().put("data_source_id", p.dataSourceId()).put("service", p.service())
                .put("service_name", name).put("open", p.openAtOnce());
        p.tokens().ifPresent(t -> boot.putObject("tokens").put("access_token", t.accessToken())
                .put("refresh_token", t.refreshToken()));
        return Page.of(200, "Connected", branding, main.toString()).withScript("connect.js", boot);
    }

    public static Page error(Branding branding, int status, String title, String message, String whatToDo) {
        String main = "<section class=\"card\" aria-labelledby=\"outcome-title\"><h1 id=\"outcome-title\">" + Html.escape(title)
                + "</h1><p class=\"status error\" role=\"alert\">" + Html.escape(message) + "</p><p>" + Html.escape(whatToDo)
                + "</p></section>";
        return Page.of(status, title, branding, main);
    }
}
