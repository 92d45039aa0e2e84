package io.catchment.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.util.Collection;

/**
 * Something that happened, as a webhook reports it: the type, the customer it concerns (our
 * customer row id; the payload carries the customer's own id) and the payload's {@code object}.
 *
 * @param objectId a number, a string, a list of them, or JSON null
 * @param additionalInformation an object, a string, or JSON null
 */
public record Event(long organizationId, long customerId, WebhookType type, ObjectType objectType, JsonNode objectId,
                    JsonNode additionalInformation) {

    public static Event of(long organizationId, long customerId, WebhookType type, ObjectType objectType, long id) {
        return new Event(organizationId, customerId, type, objectType, Json.tree(id), NullNode.getInstance());
    }

    public static Event ofList(long organizationId, long customerId, WebhookType type, ObjectType objectType,
                               Collection<Long> ids) {
        return new Event(organizationId, customerId, type, objectType, Json.tree(ids), NullNode.getInstance());
    }

    public Event with(ObjectNode information) {
        return new Event(organizationId, customerId, type, objectType, objectId, information);
    }

    /** The payload's {@code object}: {@code {object_type, object_id, additional_information}}. */
    public ObjectNode object() {
        ObjectNode o = Json.object();
        o.put("object_type", objectType.name());
        o.set("object_id", objectId);
        o.set("additional_information", additionalInformation);
        return o;
    }
}
