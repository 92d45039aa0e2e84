package io.catchment.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.credentials.CredentialsJson;
import io.catchment.embed.credentials.InvalidCredentials;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.server.http.BodyReader;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carbon's {@code custom_credentials}: a map from {@code CustomCredentialsType} (OPENAI, COHERE,
 * AZURE_OPENAI, AZURE_OPENAI_V3, UPSTAGE) to that provider's credentials, used for this request
 * only and never stored. AZURE_OPENAI_V3 is the Azure resource serving the text-embedding-3 models
 * (the *_ADA_LARGE/SMALL_* names); AZURE_OPENAI serves ada-002 and is the fallback for both.
 */
final class CustomCredentialsReader {
    private static final Map<String, Provider> TYPES = Map.of("OPENAI", Provider.OPENAI, "COHERE", Provider.COHERE,
            "AZURE_OPENAI", Provider.AZURE_OPENAI, "AZURE_OPENAI_V3", Provider.AZURE_OPENAI, "UPSTAGE", Provider.UPSTAGE);

    private CustomCredentialsReader() {}

    /** The credentials given for {@code model}'s provider, if any; problems are reported on {@code b}. */
    static Optional<ModelCredentials> read(BodyReader b, EmbeddingGenerator model) {
        Optional<JsonNode> raw = b.raw("custom_credentials");
        if (raw.isEmpty()) return Optional.empty();
        JsonNode node = raw.get();
        if (!node.isObject()) {
            return b.problem("custom_credentials", "Input should be a valid dictionary", "dict_type", node, Optional.empty());
        }
        Optional<ModelCredentials> chosen = Optional.empty();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Provider provider = TYPES.get(e.getKey());
            if (provider == null) {
                b.problemAt(List.of("custom_credentials", e.getKey()), "Input should be 'OPENAI', 'COHERE', "
                        + "'AZURE_OPENAI', 'AZURE_OPENAI_V3' or 'UPSTAGE'", "enum", io.catchment.json.Json.tree(e.getKey()), null);
                continue;
            }
            ModelCredentials credentials;
            try {
                credentials = CredentialsJson.read(provider, e.getValue());
            } catch (InvalidCredentials invalid) {
                b.problemAt(List.of("custom_credentials", e.getKey(), invalid.field()), "Value error, " + invalid.field()
                        + " " + invalid.getMessage(), "value_error", e.getValue(), null);
                continue;
            }
            if (provider == model.provider() && (chosen.isEmpty() || prefers(model, e.getKey()))) chosen = Optional.of(credentials);
        }
        return chosen;
    }

    /** AZURE_OPENAI_V3 wins for the text-embedding-3 models, AZURE_OPENAI for ada-002. */
    private static boolean prefers(EmbeddingGenerator model, String type) {
        boolean v3Model = model.provider() == Provider.AZURE_OPENAI && model != EmbeddingGenerator.AZURE_OPENAI;
        return type.equals("AZURE_OPENAI_V3") == v3Model;
    }
}
