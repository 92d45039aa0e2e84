package io.catchment.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.javalin.http.Context;
import java.util.List;

/** Writes bodies in Carbon's (FastAPI's) shapes. */
final class Responses {
    private Responses() {}

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    static void detail(Context ctx, int status, String detail) {
        json(ctx, status, Json.object().put("detail", detail));
    }

    static void validation(Context ctx, List<Problem> problems) {
        ObjectNode body = Json.object();
        ArrayNode detail = body.putArray("detail");
        for (Problem p : problems) {
            ObjectNode entry = detail.addObject();
            entry.put("type", p.type());
            ArrayNode loc = entry.putArray("loc");
            for (Object part : p.loc()) {
                if (part instanceof Number n) loc.add(n.longValue());
                else loc.add(String.valueOf(part));
            }
            entry.put("msg", p.msg());
            entry.set("input", p.input());
            p.ctx().ifPresent(details -> entry.set("ctx", details));
        }
        json(ctx, 422, body);
    }
}
