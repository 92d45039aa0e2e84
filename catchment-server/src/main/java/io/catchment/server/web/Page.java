package io.catchment.server.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.util.Optional;

/**
 * One hosted page before rendering.
 *
 * @param main the page's content as HTML (already escaped): what shows without scripts
 * @param script the asset that brings the page to life, if any
 * @param boot data the script starts from (placed in a JSON block, never executed)
 */
public record Page(int status, String title, Branding branding, String main, Optional<String> script, ObjectNode boot) {
    public static Page of(int status, String title, Branding branding, String main) {
        return new Page(status, title, branding, main, Optional.empty(), Json.object());
    }

    public Page withScript(String asset, ObjectNode bootData) {
        return new Page(status, title, branding, main, Optional.of(asset), bootData);
    }
}
