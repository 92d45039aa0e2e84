package io.catchment.embed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedding models an organization can use, by their {@code embedding_model} wire name, and
 * the default used when a request names none. Immutable and thread-safe.
 *
 * <p>Models run in this process (the bundled local model, or any given at construction) are
 * everybody's; remote models come from a {@link RemoteModelSource}, per organization, because an
 * organization may bring its own provider credentials. When {@link #find} is empty,
 * {@link #unavailableReason} says why in words fit for the API error, naming the model and what
 * would have to be configured.
 */
public final class EmbeddingModels {
    private static final int MAX_ECHOED_NAME = 64;

    private final Map<String, EmbeddingModel> inProcess;
    private final String defaultModelName;
    private final RemoteModelSource remote;

    /**
     * @param inProcess models run here; names unique; a model named like an {@link EmbeddingGenerator}
     *     must have that generator's dimensions
     * @param defaultModelName used when a request names none: one of {@code inProcess}, or a remote
     *     model the server itself has credentials for
     * @param remote remote models per organization
     */
    public EmbeddingModels(List<? extends EmbeddingModel> inProcess, String defaultModelName, RemoteModelSource remote) {
        Objects.requireNonNull(inProcess, "inProcess");
        Objects.requireNonNull(defaultModelName, "defaultModelName");
        this.remote = Objects.requireNonNull(remote, "remote");
        Map<String, EmbeddingModel> map = new LinkedHashMap<>();
        for (EmbeddingModel model : inProcess) {
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
        boolean defaultServable = map.containsKey(defaultModelName) || EmbeddingGenerator.fromWire(defaultModelName)
                .filter(EmbeddingGenerator::remote).filter(remote::configuredServerWide).isPresent();
        if (!defaultServable) {
            throw new IllegalArgumentException("Default embedding model '" + defaultModelName + "' is not available: "
                    + "it must be the local model or a remote one whose provider the server has credentials for"
                    + " (in-process: " + String.join(", ", map.keySet()) + ")");
        }
        this.inProcess = map;
        this.defaultModelName = defaultModelName;
    }

    /** In-process models only. */
    public EmbeddingModels(List<? extends EmbeddingModel> inProcess, String defaultModelName) {
        this(inProcess, defaultModelName, RemoteModelSource.NONE);
    }

    /** Just the bundled local model, which is also the default. */
    public static EmbeddingModels localOnly() {
        return new EmbeddingModels(List.of(new LocalMiniLmModel()), LocalMiniLmModel.NAME);
    }

    /** A registry with the same models and another source of remote ones. */
    public EmbeddingModels withRemote(RemoteModelSource source) {
        return new EmbeddingModels(List.copyOf(inProcess.values()), defaultModelName, source);
    }

    /** The model with exactly this wire name (case-sensitive, like Carbon) as this organization can use it. */
    public Optional<EmbeddingModel> find(long organizationId, String wireName) {
        if (wireName == null) return Optional.empty();
        EmbeddingModel here = inProcess.get(wireName);
        if (here != null) return Optional.of(here);
        return EmbeddingGenerator.fromWire(wireName).filter(EmbeddingGenerator::remote)
                .flatMap(generator -> remote.find(organizationId, generator));
    }

    /** Used when a request omits {@code embedding_model}. */
    public String defaultModelName() {
        return defaultModelName;
    }

    /** Names this organization can use: in-process ones first, then remote ones in the enum's order. */
    public List<String> available(long organizationId) {
        List<String> names = new ArrayList<>(inProcess.keySet());
        for (EmbeddingGenerator generator : EmbeddingGenerator.values()) {
            if (generator.remote() && !names.contains(generator.wireName())
                    && remote.find(organizationId, generator).isPresent()) {
                names.add(generator.wireName());
            }
        }
        return names;
    }

    /**
     * Why {@code wireName} cannot be used by this organization, as one sentence for the API error.
     * Only for names {@link #find} does not resolve.
     *
     * <ul>
     *   <li>a Carbon model without credentials: "Embedding model 'OPENAI' is not configured: set
     *       OPENAI_API_KEY on the server or store the organization's OPENAI credentials
     *       (POST /organization/model_credentials), or omit embedding_model to use the local default
     *       ALL_MINILM_L6_V2"
     *   <li>a known model this server left out: "... is not enabled on this server; available: ..."
     *   <li>anything else: "Unknown embedding model 'X'; available: ..." (with a hint when only the
     *       letter case is wrong)
     * </ul>
     *
     * @throws IllegalArgumentException when the model is available
     */
    public String unavailableReason(long organizationId, String wireName) {
        if (find(organizationId, wireName).isPresent()) {
            throw new IllegalArgumentException("Embedding model '" + wireName + "' is available");
        }
        String available = String.join(", ", available(organizationId));
        if (wireName == null || wireName.isBlank()) {
            return "Embedding model name is blank: omit embedding_model to use the " + defaultDescription()
                    + ", or name one of: " + available;
        }
        Optional<EmbeddingGenerator> known = EmbeddingGenerator.fromWire(wireName);
        if (known.isPresent()) {
            EmbeddingGenerator generator = known.get();
            if (generator.remote()) {
                return "Embedding model '" + wireName + "' is not configured: set "
                        + String.join(" and ", generator.provider().settings()) + " on the server or store the "
                        + "organization's " + generator.provider() + " credentials (POST /organization/model_credentials),"
                        + " or omit embedding_model to use the " + defaultDescription();
            }
            return "Embedding model '" + wireName + "' is not enabled on this server; available: " + available;
        }
        String hint = caseInsensitiveMatch(wireName)
                .map(name -> " (names are case-sensitive: did you mean '" + name + "'?)")
                .orElse("");
        return "Unknown embedding model '" + echo(wireName) + "'" + hint + "; available: " + available;
    }

    private String defaultDescription() {
        boolean local = EmbeddingGenerator.fromWire(defaultModelName).map(g -> !g.remote()).orElse(false);
        return (local ? "local default " : "default ") + defaultModelName;
    }

    private Optional<String> caseInsensitiveMatch(String wireName) {
        for (String name : inProcess.keySet()) {
            if (name.equalsIgnoreCase(wireName)) return Optional.of(name);
        }
        for (EmbeddingGenerator generator : EmbeddingGenerator.values()) {
            if (generator.wireName().equalsIgnoreCase(wireName)) return Optional.of(generator.wireName());
        }
        return Optional.empty();
    }

    /** Caller input echoed in a message, cut short so a huge value cannot flood the response. */
    private static String echo(String wireName) {
        return wireName.length() <= MAX_ECHOED_NAME ? wireName : wireName.substring(0, MAX_ECHOED_NAME) + "...";
    }
}
