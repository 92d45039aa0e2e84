package io.catchment.embed.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.crypto.SecretBox;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Organizations' own provider credentials, sealed at rest (table {@code model_credentials}). */
public final class ModelCredentialStore {
    private static final Logger log = LoggerFactory.getLogger(ModelCredentialStore.class);

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;

    public ModelCredentialStore(Jdbi jdbi, SecretBox box, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    /** One stored entry, as listed. */
    public record Stored(ModelCredentials credentials, Instant createdAt, Instant updatedAt) {}

    public void put(long organizationId, ModelCredentials credentials) {
        String sealed = box.seal(Json.write(CredentialsJson.write(credentials)), context(organizationId, credentials.provider()));
        jdbi.useHandle(h -> h.createUpdate("""
                        MERGE INTO model_credentials t
                        USING (VALUES (CAST(:org AS BIGINT), CAST(:provider AS VARCHAR(32)))) AS s (organization_id, provider)
                        ON t.organization_id = s.organization_id AND t.provider = s.provider
                        WHEN MATCHED THEN UPDATE SET sealed = :sealed, updated_at = :now
                        WHEN NOT MATCHED THEN INSERT (organization_id, provider, sealed, created_at, updated_at)
                            VALUES (s.organization_id, s.provider, :sealed, :now, :now)""")
                .bind("org", organizationId).bind("provider", credentials.provider().name()).bind("sealed", sealed)
                .bind("now", Rows.timestamp(clock.instant())).execute());
    }

    /** True when there was something to remove. */
    public boolean remove(long organizationId, Provider provider) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM model_credentials WHERE organization_id = :org AND provider = :provider")
                .bind("org", organizationId).bind("provider", provider.name()).execute()) > 0;
    }

    /**
     * Everything the organization stored that still opens. An entry that does not (master key
     * missing, tampered) is left out and logged: the server then answers as if it were not set.
     */
    public Map<Provider, Stored> list(long organizationId) {
        record Row(String provider, String sealed, Instant created, Instant updated) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT provider, sealed, created_at, updated_at FROM model_credentials
                        WHERE organization_id = :org ORDER BY provider""")
                .bind("org", organizationId)
                .map((rs, ctx) -> new Row(rs.getString("provider"), rs.getString("sealed"),
                        Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at")))
                .list());
        Map<Provider, Stored> out = new EnumMap<>(Provider.class);
        for (Row row : rows) {
            Optional<Provider> provider = providerNamed(row.provider());
            if (provider.isEmpty()) continue;
            open(organizationId, provider.get(), row.sealed())
                    .ifPresent(c -> out.put(provider.get(), new Stored(c, row.created(), row.updated())));
        }
        return out;
    }

    /** The organization's credentials by provider (what model resolution uses). */
    public Map<Provider, ModelCredentials> credentials(long organizationId) {
        Map<Provider, ModelCredentials> out = new EnumMap<>(Provider.class);
        list(organizationId).forEach((provider, stored) -> out.put(provider, stored.credentials()));
        return out;
    }

    private Optional<ModelCredentials> open(long organizationId, Provider provider, String sealed) {
        try {
            JsonNode node = Json.read(box.open(sealed, context(organizationId, provider)));
            return Optional.of(CredentialsJson.read(provider, node));
        } catch (SecretBox.SecretException | InvalidCredentials e) {
            log.atWarn().addKeyValue("organization_id", organizationId).addKeyValue("provider", provider)
                    .addKeyValue("problem", e.getMessage()).log("stored model credentials cannot be used");
            return Optional.empty();
        }
    }

    private static Optional<Provider> providerNamed(String name) {
        try {
            return Optional.of(Provider.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String context(long organizationId, Provider provider) {
        return "model-credentials:" + organizationId + ":" + provider.name();
    }
}
