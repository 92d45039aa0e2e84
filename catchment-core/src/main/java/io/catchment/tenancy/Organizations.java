package io.catchment.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Organizations and their settings. */
public final class Organizations {
    private final Jdbi jdbi;
    private final Clock clock;

    public Organizations(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Organization create(String name) {
        if (name.isBlank()) throw new IllegalArgumentException("An organization needs a name");
        Instant now = clock.instant();
        long id = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO organizations (name, created_at, updated_at) VALUES (:name, :now, :now)""")
                .bind("name", name.strip())
                .bind("now", Rows.timestamp(now))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return find(id).orElseThrow();
    }

    public Optional<Organization> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM organizations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    public List<Organization> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM organizations ORDER BY id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    public boolean isEmpty() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM organizations").mapTo(Long.class).one()) == 0;
    }

    /**
     * Applies {@code /organization/update}: the given user configuration is laid over the
     * stored defaults, and each given data source config replaces that type's entry.
     */
    public Organization updateSettings(long id, UserConfiguration globalUserConfig, ObjectNode dataSourceConfigs) {
        return jdbi.inTransaction(h -> {
            Organization current = h.createQuery("SELECT * FROM organizations WHERE id = :id FOR UPDATE")
                    .bind("id", id)
                    .map((rs, ctx) -> map(rs))
                    .findOne()
                    .orElseThrow(() -> new IllegalArgumentException("No organization " + id));
            ObjectNode configs = current.dataSourceConfigs().deepCopy();
            configs.setAll(dataSourceConfigs);
            h.createUpdate("""
                            UPDATE organizations SET global_user_config = :config, data_source_configs = :configs,
                                   updated_at = :now WHERE id = :id""")
                    .bind("config", Json.write(current.globalUserConfig().overlay(globalUserConfig).toJson()))
                    .bind("configs", Json.write(configs))
                    .bind("now", Rows.timestamp(clock.instant()))
                    .bind("id", id)
                    .execute();
            return h.createQuery("SELECT * FROM organizations WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> map(rs))
                    .one();
        });
    }

    /**
     * Sets how the hosted pages look for this organization: {@code remove_branding} hides
     * Catchment's name; {@code customBranding} (already validated) replaces the stored branding
     * whole. An absent value leaves that setting as it is.
     */
    public void updateBranding(long id, Optional<Boolean> removeBranding, Optional<ObjectNode> customBranding) {
        if (removeBranding.isEmpty() && customBranding.isEmpty()) return;
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE organizations SET remove_branding = COALESCE(:remove, remove_branding),
                               custom_branding = COALESCE(:branding, custom_branding), updated_at = :now WHERE id = :id""")
                .bind("remove", removeBranding.orElse(null))
                .bind("branding", customBranding.map(Json::write).orElse(null))
                .bind("now", Rows.timestamp(clock.instant()))
                .bind("id", id)
                .execute());
    }

    private static Organization map(ResultSet rs) throws SQLException {
        String branding = rs.getString("custom_branding");
        return new Organization(
                rs.getLong("id"),
                rs.getString("name"),
                Optional.ofNullable(rs.getString("nickname")),
                rs.getBoolean("remove_branding"),
                Optional.ofNullable(branding).map(Json::readObject),
                Json.readObject(rs.getString("custom_limits")),
                UserConfiguration.fromJson(Json.readObject(rs.getString("global_user_config"))),
                Json.readObject(rs.getString("data_source_configs")),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
