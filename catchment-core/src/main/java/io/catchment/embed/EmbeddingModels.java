package io.catchment.embed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedding models this server can run, by their {@code embedding_model} wire name, and the
 * default used when a request names none. Immutable and thread-safe.
 *
 * <p>A request's {@code embedding_model} resolves with {@link #find(String)}; when that is empty,
 * {@link #unavailableReason(String)} says why in words fit for the API error, naming the model
 * and what an operator would have to configure.
 */
public final class EmbeddingModels {
    private static final int MAX_ECHOED_NAME = 64;

    private final Map<String, EmbeddingModel> byName;
    private final EmbeddingModel defaultModel;

    /**
     * @param models the models this server offers; names unique; a model named like an
     *     {@link EmbeddingGenerator} must have that generator's dimensions
     * @param defaultModelName the model used when a request names none; must be among {@code models}
     */
    public EmbeddingModels(List<? extends EmbeddingModel> models, String defaultModelName) {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(defaultModelName, "defaultModelName");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("At least one embedding model is needed");
        }
        Map<String, EmbeddingModel> map = new LinkedHashMap<>();
        for (EmbeddingModel model : models) {
            Objects.requireNonNull(model, "models contains null");
            String name = Objects.requireNonNull(model.name(), "an embedding model has a null name");
            if (map.putIfAbsent(name, model) != null) {
                throw new IllegalArgumentException("Two embedding models are named '" + name + "'");
            }
            EmbeddingGenerator.fromWire(name).ifPresent(generator -> {
                if (generator.dimensions() != model.dimensions()) {
                    throw new IllegalArgumentException("Embedding model '" + name + "' has " + model.dimensions()
                            + " dimensions, but " + name + " means " + generator.dimensions());
                }
            });
        }
        EmbeddingModel def = map.get(defaultModelName);
        if (def == null) {
            throw new IllegalArgumentException("Default embedding model '" + defaultModelName
                    + "' is not among the available ones: " + String.join(", ", map.keySet()));
        }
        this.byName = map;
        this.defaultModel = def;
    }

    /** Just the bundled local model, which is also the default. */
    public static EmbeddingModels localOnly() {
        return new EmbeddingModels(List.of(new LocalMiniLmModel()), LocalMiniLmModel.NAME);
    }

    /** The model with exactly this wire name (case-sensitive, like Carbon); empty for null or unknown. */
    public Optional<EmbeddingModel> find(String wireName) {
        return wireName == null ? Optional.empty() : Optional.ofNullable(byName.get(wireName));
    }

    /** Used when a request omits {@code embedding_model}. */
    public EmbeddingModel defaultModel() {
        return defaultModel;
    }

    /** Names of the models this server can run, in the order given at construction. */
    public List<String> available() {
        return List.copyOf(byName.keySet());
    }

    /**
     * Why {@code wireName} cannot be used here, as one sentence for the API error. Only for names
     * {@link #find(String)} does not know.
     *
     * <ul>
     *   <li>a Carbon model this server has no credentials for: "Embedding model 'OPENAI' is not
     *       configured on this server: set OPENAI_API_KEY (remote models arrive with the
     *       embedding-models feature) or omit embedding_model to use the local default ALL_MINILM_L6_V2"
     *   <li>a known model this server left out: "... is not enabled on this server; available: ..."
     *   <li>anything else: "Unknown embedding model 'X'; available: ..." (with a hint when only the
     *       letter case is wrong)
     * </ul>
     *
     * @throws IllegalArgumentException when the model is available
     */
    public String unavailableReason(String wireName) {
        if (wireName != null && byName.containsKey(wireName)) {
            throw new IllegalArgumentException("Embedding model '" + wireName + "' is available");
        }
        if (wireName == null || wireName.isBlank()) {
            return "Embedding model name is blank: omit embedding_model to use the " + defaultDescription()
                    + ", or name one of: " + availableList();
        }
        Optional<EmbeddingGenerator> known = EmbeddingGenerator.fromWire(wireName);
        if (known.isPresent()) {
            EmbeddingGenerator generator = known.get();
            if (generator.remote()) {
                return "Embedding model '" + wireName + "' is not configured on this server: set "
                        + String.join(" and ", generator.provider().settings())
                        + " (remote models arrive with the embedding-models feature) or omit embedding_model"
                        + " to use the " + defaultDescription();
            }
            return "Embedding model '" + wireName + "' is not enabled on this server; available: " + availableList();
        }
        String hint = caseInsensitiveMatch(wireName)
                .map(name -> " (names are case-sensitive: did you mean '" + name + "'?)")
                .orElse("");
        return "Unknown embedding model '" + echo(wireName) + "'" + hint + "; available: " + availableList();
    }

    private String defaultDescription() {
        boolean local = EmbeddingGenerator.fromWire(defaultModel.name()).map(g -> !g.remote()).orElse(false);
        return (local ? "local default " : "default ") + defaultModel.name();
    }

    private String availableList() {
        return String.join(", ", byName.keySet());
    }

    private Optional<String> caseInsensitiveMatch(String wireName) {
        for (String name : byName.keySet()) {
            if (name.equalsIgnoreCase(wireName)) {
                return Optional.of(name);
            }
        }
        for (EmbeddingGenerator generator : EmbeddingGenerator.values()) {
            if (generator.wireName().equalsIgnoreCase(wireName)) {
                return Optional.of(generator.wireName());
            }
        }
        return Optional.empty();
    }

    /** Caller input echoed in a message, cut short so a huge value cannot flood the response. */
    private static String echo(String wireName) {
        return wireName.length() <= MAX_ECHOED_NAME ? wireName : wireName.substring(0, MAX_ECHOED_NAME) + "...";
    }
}
