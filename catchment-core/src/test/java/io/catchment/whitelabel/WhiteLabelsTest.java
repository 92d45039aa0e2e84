package io.catchment.whitelabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.ClientApps;
import io.catchment.oauth.OAuthService;
import io.catchment.store.Database;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WhiteLabelsTest {
    static final String SLACK_SECRET = "slack-secret-0123456789abcd";
    static final String PICKER_KEY = "AIzaSy-picker-key-wxyz";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    WhiteLabels store;
    long acme;
    long other;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        store = new WhiteLabels(db.jdbi(), new SecretBox(MasterKeys.generate("k1")), clock);
        var organizations = new Organizations(db.jdbi(), clock);
        acme = organizations.create("Acme").id();
        other = organizations.create("Other").id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static WhiteLabelInput slack(String clientId, SecretUpdate secret) {
        return WhiteLabelInput.of(OAuthService.SLACK, clientId, "https://acme.example/integrations/slack", secret);
    }

    static WhiteLabelInput drive(SecretUpdate secret, SecretUpdate apiKey) {
        return new WhiteLabelInput(OAuthService.GOOGLE_DRIVE, "drive-client.apps.example", "https://acme.example/integrations/google",
                secret, apiKey, Optional.empty(), Optional.empty());
    }

    static WhiteLabelInput onedrive(Optional<String> pickerClientId) {
        return new WhiteLabelInput(OAuthService.ONEDRIVE, "onedrive-client", "https://acme.example/integrations/onedrive",
                new SecretUpdate.Replace("onedrive-secret-abcdefgh"), SecretUpdate.KEEP, pickerClientId,
                pickerClientId.map(id -> "https://acme.example/picker"));
    }

    List<WhiteLabel> created(long org, WhiteLabelInput... inputs) {
        Creation result = store.create(org, List.of(inputs));
        assertThat(result).isInstanceOf(Creation.Created.class);
        return ((Creation.Created) result).whiteLabels();
    }

    @Test
    void secretsAreSealedAtRestShownMaskedAndOpenedOnlyForTheOAuthEngine() {
        List<WhiteLabel> made = created(acme, slack("slack-client", new SecretUpdate.Replace(SLACK_SECRET)),
                drive(new SecretUpdate.Replace("drive-secret-12345678"), new SecretUpdate.Replace(PICKER_KEY)));

        WhiteLabel slack = made.getFirst();
        assertThat(slack.service()).isEqualTo(OAuthService.SLACK);
        assertThat(slack.organizationId()).isEqualTo(acme);
        assertThat(slack.clientId()).isEqualTo("slack-client");
        assertThat(slack.clientSecretMask()).contains("••••abcd");
        assertThat(slack.apiKeyMask()).isEmpty();
        assertThat(slack.createdAt()).isEqualTo(clock.instant());
        assertThat(made.get(1).apiKeyMask()).contains("••••wxyz");
        assertThat(made.get(1).clientSecretMask()).contains("••••5678");
        assertThat(slack.toString()).doesNotContain(SLACK_SECRET);

        List<String> stored = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COALESCE(sealed_client_secret, '') || '|' || COALESCE(sealed_api_key, '') FROM white_labels")
                .mapTo(String.class).list());
        assertThat(stored).hasSize(2).allMatch(s -> s.startsWith("v1.k1."))
                .noneMatch(s -> s.contains(SLACK_SECRET) || s.contains(PICKER_KEY) || s.contains("drive-secret"));

        assertThat(store.appFor(acme, OAuthService.SLACK)).contains(
                new ClientApp("slack-client", SLACK_SECRET, Optional.of("https://acme.example/integrations/slack")));
        assertThat(store.pickerFor(acme, OAuthService.GOOGLE_DRIVE)).contains(new PickerSettings(
                "drive-client.apps.example", "https://acme.example/integrations/google", Optional.of(PICKER_KEY)));
        assertThat(store.appFor(acme, OAuthService.NOTION)).as("no app registered").isEmpty();
        assertThat(store.appFor(other, OAuthService.SLACK)).as("another organization's app").isEmpty();
    }

    @Test
    void aSealedSecretCopiedToAnotherRowDoesNotOpen() {
        created(acme, slack("slack-client", new SecretUpdate.Replace(SLACK_SECRET)));
        created(other, slack("their-client", new SecretUpdate.Replace("their-secret-abcdefgh")));
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE white_labels SET sealed_client_secret =
                    (SELECT sealed_client_secret FROM white_labels WHERE organization_id = ?)
                WHERE organization_id = ?""", acme, other));

        assertThat(store.appFor(other, OAuthService.SLACK)).as("sealed for acme's row").isEmpty();
        assertThat(store.find(other, OAuthService.SLACK).orElseThrow().clientSecretMask())
                .as("still shown as set, without any of it").contains("••••");
        assertThat(store.appFor(acme, OAuthService.SLACK)).map(ClientApp::clientSecret).contains(SLACK_SECRET);
    }

    @Test
    void anAppWithoutASecretStillWinsOverTheServersApp() {
        created(acme, slack("public-client", SecretUpdate.KEEP));
        assertThat(store.find(acme, OAuthService.SLACK).orElseThrow().clientSecretMask()).isEmpty();

        var apps = new ClientApps(Map.of(OAuthService.SLACK, new ClientApp("server-client", "server-secret"),
                OAuthService.NOTION, new ClientApp("server-notion", "server-secret")), store);
        assertThat(apps.appFor(acme, OAuthService.SLACK)).contains(
                new ClientApp("public-client", "", Optional.of("https://acme.example/integrations/slack")));
        assertThat(apps.appFor(acme, OAuthService.NOTION)).map(ClientApp::clientId).contains("server-notion");
        assertThat(apps.appFor(other, OAuthService.SLACK)).map(ClientApp::clientId).contains("server-client");
    }

    @Test
    void creationIsAllOrNothingAndOnePerService() {
        created(acme, slack("slack-client", SecretUpdate.KEEP));
        WhiteLabelInput notion = WhiteLabelInput.of(OAuthService.NOTION, "notion-client",
                "https://acme.example/integrations/notion", SecretUpdate.KEEP);

        assertThat(store.create(acme, List.of(notion, slack("again", SecretUpdate.KEEP))))
                .isEqualTo(new Creation.Conflict(Set.of(OAuthService.SLACK), Set.of()));
        assertThat(store.create(acme, List.of(notion, notion)))
                .isEqualTo(new Creation.Conflict(Set.of(), Set.of(OAuthService.NOTION)));
        assertThat(store.services(acme)).containsExactly(OAuthService.SLACK);
        assertThat(store.find(acme, OAuthService.SLACK).orElseThrow().clientId()).isEqualTo("slack-client");

        assertThat(created(other, slack("theirs", SecretUpdate.KEEP))).as("types are per organization").hasSize(1);
    }

    @Test
    void concurrentCreatesOfOneServiceLeaveOneApp() throws Exception {
        int threads = 4;
        var barrier = new CyclicBarrier(threads);
        List<Future<Creation>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                String clientId = "client-" + i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    return store.create(acme, List.of(slack(clientId, new SecretUpdate.Replace(SLACK_SECRET))));
                }));
            }
        }
        List<Creation> outcomes = new ArrayList<>();
        for (Future<Creation> f : results) outcomes.add(f.get());
        assertThat(outcomes).filteredOn(c -> c instanceof Creation.Created).hasSize(1);
        assertThat(outcomes).filteredOn(c -> c instanceof Creation.Conflict)
                .hasSize(threads - 1).allMatch(c -> ((Creation.Conflict) c).existing().equals(Set.of(OAuthService.SLACK)));
        assertThat(store.list(acme, WhiteLabelQuery.ALL).count()).isEqualTo(1);
    }

    @Test
    void updateReplacesWhatIsGivenKeepsOmittedSecretsAndClearsOnRequest() {
        WhiteLabel before = created(acme, drive(new SecretUpdate.Replace("drive-secret-12345678"),
                new SecretUpdate.Replace(PICKER_KEY))).getFirst();
        clock.advance(Duration.ofMinutes(5));

        var changed = new WhiteLabelInput(OAuthService.GOOGLE_DRIVE, " new-client ", "https://new.example/integrations/google",
                SecretUpdate.KEEP, SecretUpdate.KEEP, Optional.empty(), Optional.empty());
        WhiteLabel after = store.update(acme, changed).orElseThrow();
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.clientId()).isEqualTo("new-client");
        assertThat(after.redirectUri()).isEqualTo("https://new.example/integrations/google");
        assertThat(after.clientSecretMask()).contains("••••5678");
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        assertThat(after.updatedAt()).isEqualTo(before.createdAt().plus(Duration.ofMinutes(5)));
        assertThat(store.appFor(acme, OAuthService.GOOGLE_DRIVE)).map(ClientApp::clientSecret).contains("drive-secret-12345678");
        assertThat(store.pickerFor(acme, OAuthService.GOOGLE_DRIVE).orElseThrow().apiKey()).contains(PICKER_KEY);

        store.update(acme, new WhiteLabelInput(OAuthService.GOOGLE_DRIVE, "new-client", "https://new.example/integrations/google",
                new SecretUpdate.Replace("rotated-secret-87654321"), SecretUpdate.CLEAR, Optional.empty(), Optional.empty()));
        assertThat(store.appFor(acme, OAuthService.GOOGLE_DRIVE)).map(ClientApp::clientSecret).contains("rotated-secret-87654321");
        assertThat(store.find(acme, OAuthService.GOOGLE_DRIVE).orElseThrow().apiKeyMask()).isEmpty();
        assertThat(store.pickerFor(acme, OAuthService.GOOGLE_DRIVE).orElseThrow().apiKey()).isEmpty();

        assertThat(store.update(acme, slack("x", SecretUpdate.KEEP))).as("no SLACK app to update").isEmpty();
        assertThat(store.update(other, changed)).as("acme's app is not other's").isEmpty();
    }

    @Test
    void microsoftPickerFallsBackToTheMainApp() {
        created(acme, onedrive(Optional.empty()));
        assertThat(store.pickerFor(acme, OAuthService.ONEDRIVE)).contains(new PickerSettings("onedrive-client",
                "https://acme.example/integrations/onedrive", Optional.empty()));
        store.update(acme, onedrive(Optional.of("spa-client")));
        assertThat(store.pickerFor(acme, OAuthService.ONEDRIVE)).contains(new PickerSettings("spa-client",
                "https://acme.example/picker", Optional.empty()));
        WhiteLabel listed = store.find(acme, OAuthService.ONEDRIVE).orElseThrow();
        assertThat(listed.filePickerClientId()).contains("spa-client");
        assertThat(listed.shape()).isEqualTo(CredentialShape.MICROSOFT_PICKER);

        created(acme, slack("slack-client", SecretUpdate.KEEP));
        assertThat(store.pickerFor(acme, OAuthService.SLACK)).as("Slack has no picker").isEmpty();
        assertThat(store.pickerFor(acme, OAuthService.SHAREPOINT)).as("no SharePoint app").isEmpty();
    }

    @Test
    void deletionIsAllOrNothingWithinTheOrganization() {
        List<WhiteLabel> mine = created(acme, slack("a", SecretUpdate.KEEP),
                WhiteLabelInput.of(OAuthService.BOX, "b", "https://acme.example/integrations/box", SecretUpdate.KEEP));
        long theirs = created(other, slack("c", SecretUpdate.KEEP)).getFirst().id();
        long slackId = mine.get(0).id();
        long boxId = mine.get(1).id();

        assertThat(store.delete(acme, List.of(slackId, theirs))).isEqualTo(new Deletion.NotFound(Set.of(theirs)));
        assertThat(store.services(acme)).containsExactlyInAnyOrder(OAuthService.SLACK, OAuthService.BOX);

        assertThat(store.delete(acme, List.of(boxId, slackId, slackId))).isEqualTo(new Deletion.Deleted(List.of(
                Math.min(slackId, boxId), Math.max(slackId, boxId))));
        assertThat(store.services(acme)).isEmpty();
        assertThat(store.services(other)).containsExactly(OAuthService.SLACK);
        assertThat(store.delete(acme, List.of())).isEqualTo(new Deletion.Deleted(List.of()));
    }

    @Test
    void listFiltersOrdersPagesAndCounts() {
        List<OAuthService> order = List.of(OAuthService.ZENDESK, OAuthService.BOX, OAuthService.NOTION, OAuthService.GMAIL);
        List<Long> ids = new ArrayList<>();
        for (OAuthService s : order) {
            ids.add(created(acme, WhiteLabelInput.of(s, s.name().toLowerCase() + "-client",
                    "https://acme.example/integrations/x", SecretUpdate.KEEP)).getFirst().id());
            clock.advance(Duration.ofSeconds(1));
        }
        created(other, slack("theirs", SecretUpdate.KEEP));

        WhiteLabelPage all = store.list(acme, query(List.of(), List.of(), WhiteLabelQuery.OrderBy.CREATED_AT,
                SortDirection.ASC, new Page(10, 0, 0)));
        assertThat(all.results()).extracting(WhiteLabel::service).containsExactlyElementsOf(order);
        assertThat(all.count()).isEqualTo(4);

        WhiteLabelPage byType = store.list(acme, query(List.of(), List.of(), WhiteLabelQuery.OrderBy.DATA_SOURCE_TYPE,
                SortDirection.DESC, new Page(2, 1, 0)));
        assertThat(byType.results()).extracting(WhiteLabel::service).containsExactly(OAuthService.NOTION, OAuthService.GMAIL);
        assertThat(byType.count()).as("counts every match, ignoring paging").isEqualTo(4);

        WhiteLabelPage filtered = store.list(acme, query(List.of(ids.get(0), ids.get(1), ids.get(2)),
                List.of(OAuthService.BOX, OAuthService.ZENDESK, OAuthService.SLACK), WhiteLabelQuery.OrderBy.CREATED_AT,
                SortDirection.DESC, new Page(10, 0, 0)));
        assertThat(filtered.results()).extracting(WhiteLabel::service).containsExactly(OAuthService.BOX, OAuthService.ZENDESK);
        assertThat(filtered.count()).isEqualTo(2);

        WhiteLabelPage after = store.list(acme, query(List.of(), List.of(), WhiteLabelQuery.OrderBy.CREATED_AT,
                SortDirection.ASC, new Page(10, 0, ids.get(1))));
        assertThat(after.results()).extracting(WhiteLabel::id).containsExactly(ids.get(2), ids.get(3));

        WhiteLabelPage before = store.list(acme, query(List.of(), List.of(), WhiteLabelQuery.OrderBy.CREATED_AT,
                SortDirection.DESC, new Page(10, 0, ids.get(2))));
        assertThat(before.results()).extracting(WhiteLabel::id).containsExactly(ids.get(1), ids.get(0));

        assertThat(store.list(acme, query(List.of(), List.of(), WhiteLabelQuery.OrderBy.CREATED_AT, SortDirection.ASC,
                new Page(0, 0, 0))).results()).isEmpty();
    }

    static WhiteLabelQuery query(List<Long> ids, List<OAuthService> services, WhiteLabelQuery.OrderBy orderBy,
                                 SortDirection direction, Page page) {
        return new WhiteLabelQuery(ids, services, orderBy, direction, page);
    }

    @Test
    void inputsKeepEachServicesOwnFields() {
        assertThatThrownBy(() -> new WhiteLabelInput(OAuthService.GMAIL, "c", "https://x.example/cb", SecretUpdate.KEEP,
                new SecretUpdate.Replace("key"), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GOOGLE_DRIVE");
        assertThatThrownBy(() -> new WhiteLabelInput(OAuthService.OUTLOOK, "c", "https://x.example/cb", SecretUpdate.KEEP,
                SecretUpdate.KEEP, Optional.of("spa"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ONEDRIVE");
        assertThatThrownBy(() -> slack(" ", SecretUpdate.KEEP)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CredentialShape.of(OAuthService.SHAREPOINT)).isEqualTo(CredentialShape.MICROSOFT_PICKER);
        assertThat(CredentialShape.of(OAuthService.GOOGLE_CLOUD_STORAGE)).isEqualTo(CredentialShape.STANDARD);
    }

    @Test
    void masksShowNoMoreThanAQuarterOfASecret() {
        assertThat(WhiteLabel.mask("0123456789ab")).isEqualTo("••••89ab");
        assertThat(WhiteLabel.mask("short-secr")).isEqualTo("••••");
        assertThat(new SecretUpdate.Replace(SLACK_SECRET).toString()).doesNotContain(SLACK_SECRET);
        assertThat(new PickerSettings("c", "r", Optional.of(PICKER_KEY)).toString()).doesNotContain(PICKER_KEY);
    }
}
