package io.catchment.whitelabel;

import io.catchment.crypto.SecretBox;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.ClientApps;
import io.catchment.oauth.OAuthService;
import io.catchment.store.PagedSelect;
import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organizations' own OAuth apps (table {@code white_labels}), at most one per service. Secrets are
 * sealed per row and column; they leave this class only inside a {@link ClientApp} or
 * {@link PickerSettings} for the OAuth engine and hosted pages, never in a {@link WhiteLabel}.
 */
public final class WhiteLabels implements ClientApps.OrganizationApps {
    private static final Logger log = LoggerFactory.getLogger(WhiteLabels.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;

    public WhiteLabels(Jdbi jdbi, SecretBox box, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    /** One row as stored; the sealed columns stay sealed until a caller needs the plaintext. */
    private record Row(long id, long organizationId, OAuthService service, String clientId, String redirectUri,
                       Optional<String> sealedClientSecret, Optional<String> sealedApiKey,
                       Optional<String> filePickerClientId, Optional<String> filePickerRedirectUri,
                       Instant createdAt, Instant updatedAt) {}

    private enum Secret {
        CLIENT_SECRET("client_secret"), API_KEY("api_key");

        final String wireName;

        Secret(String wireName) {
            this.wireName = wireName;
        }
    }

    /**
     * Creates every input, or none: when the organization already has an app for one of the
     * services, or the inputs name a service twice, nothing is stored and the conflict says which.
     */
    public Creation create(long organizationId, List<WhiteLabelInput> inputs) {
        Set<OAuthService> requested = EnumSet.noneOf(OAuthService.class);
        Set<OAuthService> repeated = EnumSet.noneOf(OAuthService.class);
        for (WhiteLabelInput input : inputs) {
            if (!requested.add(input.service())) repeated.add(input.service());
        }
        if (!repeated.isEmpty()) return new Creation.Conflict(Set.of(), repeated);
        try {
            Creation result = jdbi.inTransaction(h -> {
                Set<OAuthService> existing = services(h, organizationId);
                existing.retainAll(requested);
                if (!existing.isEmpty()) return new Creation.Conflict(existing, Set.of());
                Instant now = clock.instant();
                List<WhiteLabel> created = new ArrayList<>();
                for (WhiteLabelInput input : inputs) {
                    created.add(view(insert(h, organizationId, input, now)));
                }
                return new Creation.Created(created);
            });
            if (result instanceof Creation.Created) {
                log.atInfo().addKeyValue("organization_id", organizationId).addKeyValue("services", requested)
                        .log("white-label apps created");
            }
            return result;
        } catch (StatementException e) {
            if (!isUniqueViolation(e)) throw e;
            // A concurrent request created one of these services between our check and insert.
            Set<OAuthService> existing = services(organizationId);
            existing.retainAll(requested);
            return new Creation.Conflict(existing, Set.of());
        }
    }

    /**
     * Replaces the organization's app for {@code input.service()}: client id, redirect URI and the
     * picker settings as given; each secret as its {@link SecretUpdate} says. Empty when the
     * organization has no app for that service.
     */
    public Optional<WhiteLabel> update(long organizationId, WhiteLabelInput input) {
        Optional<WhiteLabel> updated = jdbi.inTransaction(h -> {
            Optional<Row> current = h.createQuery("""
                            SELECT * FROM white_labels WHERE organization_id = :org AND data_source_type = :type
                            FOR UPDATE""")
                    .bind("org", organizationId).bind("type", input.service().name())
                    .map((rs, ctx) -> map(rs)).findOne();
            if (current.isEmpty()) return Optional.empty();
            Row row = current.get();
            h.createUpdate("""
                            UPDATE white_labels SET client_id = :client_id, redirect_uri = :redirect_uri,
                                   sealed_client_secret = :secret, sealed_api_key = :api_key,
                                   file_picker_client_id = :fp_client_id, file_picker_redirect_uri = :fp_redirect_uri,
                                   updated_at = :now
                            WHERE id = :id""")
                    .bind("client_id", input.clientId().strip())
                    .bind("redirect_uri", input.redirectUri().strip())
                    .bind("secret", apply(row, Secret.CLIENT_SECRET, row.sealedClientSecret(), input.clientSecret()))
                    .bind("api_key", apply(row, Secret.API_KEY, row.sealedApiKey(), input.apiKey()))
                    .bind("fp_client_id", input.filePickerClientId().map(String::strip).orElse(null))
                    .bind("fp_redirect_uri", input.filePickerRedirectUri().map(String::strip).orElse(null))
                    .bind("now", Rows.timestamp(clock.instant()))
                    .bind("id", row.id())
                    .execute();
            return Optional.of(view(find(h, organizationId, row.id()).orElseThrow()));
        });
        updated.ifPresent(w -> log.atInfo().addKeyValue("organization_id", organizationId)
                .addKeyValue("service", input.service()).log("white-label app updated"));
        return updated;
    }

    /** Deletes every one of {@code ids}, or none when any of them is not an app of this organization. */
    public Deletion delete(long organizationId, Collection<Long> ids) {
        Set<Long> wanted = new TreeSet<>(ids);
        if (wanted.isEmpty()) return new Deletion.Deleted(List.of());
        Deletion result = jdbi.inTransaction(h -> {
            List<Long> found = h.createQuery("""
                            SELECT id FROM white_labels WHERE organization_id = :org AND id IN (<ids>) FOR UPDATE""")
                    .bind("org", organizationId).bindList("ids", List.copyOf(wanted))
                    .mapTo(Long.class).list();
            Set<Long> missing = new TreeSet<>(wanted);
            found.forEach(missing::remove);
            if (!missing.isEmpty()) return new Deletion.NotFound(missing);
            h.createUpdate("DELETE FROM white_labels WHERE organization_id = :org AND id IN (<ids>)")
                    .bind("org", organizationId).bindList("ids", List.copyOf(wanted)).execute();
            return new Deletion.Deleted(List.copyOf(wanted));
        });
        if (result instanceof Deletion.Deleted d) {
            log.atInfo().addKeyValue("organization_id", organizationId).addKeyValue("ids", d.ids())
                    .log("white-label apps deleted");
        }
        return result;
    }

    public WhiteLabelPage list(long organizationId, WhiteLabelQuery q) {
        return jdbi.withHandle(h -> {
            var page = PagedSelect.run(h, "*", "FROM white_labels", "id", q.orderBy().column(),
                    () -> where(organizationId, q), q.direction(), q.page(), (rs, ctx) -> map(rs));
            return new WhiteLabelPage(page.rows().stream().map(this::view).toList(), page.count());
        });
    }

    private static SqlWhere where(long organizationId, WhiteLabelQuery q) {
        SqlWhere w = new SqlWhere();
        w.and("organization_id = " + w.param(organizationId));
        w.in("id", q.ids());
        w.in("data_source_type", q.services().stream().map(Enum::name).toList());
        return w;
    }

    public Optional<WhiteLabel> find(long organizationId, OAuthService service) {
        return row(organizationId, service).map(this::view);
    }

    /** The services this organization has its own app for. */
    public Set<OAuthService> services(long organizationId) {
        return jdbi.withHandle(h -> services(h, organizationId));
    }

    private static Set<OAuthService> services(Handle h, long organizationId) {
        Set<OAuthService> out = EnumSet.noneOf(OAuthService.class);
        h.createQuery("SELECT data_source_type FROM white_labels WHERE organization_id = :org")
                .bind("org", organizationId).mapTo(String.class).forEach(name -> out.add(OAuthService.valueOf(name)));
        return out;
    }

    /**
     * The organization's own app for {@code service}, with its redirect URI. An app registered
     * without a client secret (a public client, e.g. PKCE only) has an empty secret: it still
     * wins over the server's app, because the organization asked for its own consent screen.
     * An app whose secret cannot be opened (its master key is gone) is logged and treated as absent.
     */
    @Override
    public Optional<ClientApp> appFor(long organizationId, OAuthService service) {
        return row(organizationId, service).flatMap(row -> {
            Optional<String> secret = row.sealedClientSecret().isEmpty() ? Optional.of("")
                    : open(row, Secret.CLIENT_SECRET, row.sealedClientSecret().get());
            return secret.map(s -> new ClientApp(row.clientId(), s, Optional.of(row.redirectUri())));
        });
    }

    /**
     * What a file picker runs as for {@code service}: Google Drive's app with its Picker API key;
     * OneDrive's and SharePoint's picker app (the main app when no separate one was given).
     * Empty for other services and when the organization has no app for the service.
     */
    public Optional<PickerSettings> pickerFor(long organizationId, OAuthService service) {
        CredentialShape shape = CredentialShape.of(service);
        if (shape == CredentialShape.STANDARD) return Optional.empty();
        return row(organizationId, service).map(row -> switch (shape) {
            case GOOGLE_DRIVE -> new PickerSettings(row.clientId(), row.redirectUri(),
                    row.sealedApiKey().flatMap(sealed -> open(row, Secret.API_KEY, sealed)));
            case MICROSOFT_PICKER -> new PickerSettings(row.filePickerClientId().orElse(row.clientId()),
                    row.filePickerRedirectUri().orElse(row.redirectUri()), Optional.empty());
            case STANDARD -> throw new IllegalStateException("unreachable");
        });
    }

    // ---- internals

    private Optional<Row> row(long organizationId, OAuthService service) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM white_labels WHERE organization_id = :org AND data_source_type = :type")
                .bind("org", organizationId).bind("type", service.name())
                .map((rs, ctx) -> map(rs)).findOne());
    }

    private static Optional<Row> find(Handle h, long organizationId, long id) {
        return h.createQuery("SELECT * FROM white_labels WHERE organization_id = :org AND id = :id")
                .bind("org", organizationId).bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /** Inserts the row first, because the seal's context names the row's id. */
    private Row insert(Handle h, long organizationId, WhiteLabelInput input, Instant now) {
        long id = h.createUpdate("""
                        INSERT INTO white_labels (organization_id, data_source_type, client_id, redirect_uri,
                                                  file_picker_client_id, file_picker_redirect_uri, created_at, updated_at)
                        VALUES (:org, :type, :client_id, :redirect_uri, :fp_client_id, :fp_redirect_uri, :now, :now)""")
                .bind("org", organizationId)
                .bind("type", input.service().name())
                .bind("client_id", input.clientId().strip())
                .bind("redirect_uri", input.redirectUri().strip())
                .bind("fp_client_id", input.filePickerClientId().map(String::strip).orElse(null))
                .bind("fp_redirect_uri", input.filePickerRedirectUri().map(String::strip).orElse(null))
                .bind("now", Rows.timestamp(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        Row inserted = find(h, organizationId, id).orElseThrow();
        String secret = apply(inserted, Secret.CLIENT_SECRET, Optional.empty(), input.clientSecret());
        String apiKey = apply(inserted, Secret.API_KEY, Optional.empty(), input.apiKey());
        if (secret == null && apiKey == null) return inserted;
        h.createUpdate("UPDATE white_labels SET sealed_client_secret = :secret, sealed_api_key = :api_key WHERE id = :id")
                .bind("secret", secret).bind("api_key", apiKey).bind("id", id).execute();
        return find(h, organizationId, id).orElseThrow();
    }

    /** The sealed column value after {@code update}: null when there is to be none. */
    private String apply(Row row, Secret which, Optional<String> current, SecretUpdate update) {
        return switch (update) {
            case SecretUpdate.Keep keep -> current.orElse(null);
            case SecretUpdate.Clear clear -> null;
            case SecretUpdate.Replace replace -> box.seal(replace.value(), context(row, which));
        };
    }

    private WhiteLabel view(Row row) {
        return new WhiteLabel(row.id(), row.organizationId(), row.service(), row.clientId(), row.redirectUri(),
                row.sealedClientSecret().map(sealed -> maskOf(row, Secret.CLIENT_SECRET, sealed)),
                row.sealedApiKey().map(sealed -> maskOf(row, Secret.API_KEY, sealed)),
                row.filePickerClientId(), row.filePickerRedirectUri(), row.createdAt(), row.updatedAt());
    }

    /** The mask of a stored secret; one that cannot be opened is still shown as present. */
    private String maskOf(Row row, Secret which, String sealed) {
        return open(row, which, sealed).map(WhiteLabel::mask).orElse(WhiteLabel.MASK);
    }

    private Optional<String> open(Row row, Secret which, String sealed) {
        try {
            return Optional.of(box.open(sealed, context(row, which)));
        } catch (SecretBox.SecretException e) {
            log.atWarn().addKeyValue("organization_id", row.organizationId()).addKeyValue("white_label_id", row.id())
                    .addKeyValue("service", row.service()).addKeyValue("field", which.wireName)
                    .addKeyValue("problem", e.getMessage()).log("stored white-label secret cannot be opened");
            return Optional.empty();
        }
    }

    private static String context(Row row, Secret which) {
        return "white-label:" + row.organizationId() + ":" + row.id() + ":" + which.wireName;
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) return true;
        }
        return false;
    }

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getLong("organization_id"),
                OAuthService.valueOf(rs.getString("data_source_type")),
                rs.getString("client_id"),
                rs.getString("redirect_uri"),
                Optional.ofNullable(rs.getString("sealed_client_secret")),
                Optional.ofNullable(rs.getString("sealed_api_key")),
                Optional.ofNullable(rs.getString("file_picker_client_id")),
                Optional.ofNullable(rs.getString("file_picker_redirect_uri")),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
