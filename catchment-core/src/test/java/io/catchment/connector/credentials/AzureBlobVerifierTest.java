package io.catchment.connector.credentials;

import static io.catchment.connector.credentials.SharedKeySignerTest.AZURITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeAzureBlob;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureBlobVerifierTest {
    private static final String ACCOUNT = "devstoreaccount1";

    private final FakeAzureBlob azure = new FakeAzureBlob(ACCOUNT, AZURITE_KEY, TestVerifiers.CLOCK)
            .withContainers("images", "docs");
    private final CredentialVerifiers verifiers =
            TestVerifiers.with(Endpoints.defaults().withAzureBlob(azure.baseUrl().toString()));

    @AfterEach
    void close() {
        azure.close();
    }

    @Test
    void listsContainersWithTheIndependentlyComputedSignature() {
        Verification result = verifiers.azureBlob(ACCOUNT, AZURITE_KEY);

        assertThat(result).isEqualTo(new Verified(ACCOUNT, Map.of("account_name", ACCOUNT,
                "service_endpoint", "https://devstoreaccount1.blob.core.windows.net/",
                "containers", List.of("docs", "images"), "more_containers", false)));
        RecordedRequest request = azure.lastRequest();
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.query()).contains("comp=list&maxresults=100");
        assertThat(request.header("x-ms-version")).contains("2020-10-02");
        assertThat(request.header("x-ms-date")).contains("Mon, 02 Mar 2026 10:00:00 GMT");
        // The same value SharedKeySignerTest pins to a computation with Python's hmac.
        assertThat(request.header("authorization"))
                .contains("SharedKey devstoreaccount1:AwQiH6sf6B46VZ9mQhTZ37uMkGd417rNtiIG0fkDqUY=");
    }

    @Test
    void saysWhenThereAreMoreContainersThanListed() {
        azure.withContainers(IntStream.range(0, 120).mapToObj(i -> "c%03d".formatted(i)).toArray(String[]::new));

        assertThat(verifiers.azureBlob(ACCOUNT, AZURITE_KEY)).isInstanceOfSatisfying(Verified.class, verified -> {
            assertThat(verified.metadata()).containsEntry("more_containers", true);
            assertThat((List<?>) verified.metadata().get("containers")).hasSize(100);
        });
    }

    @Test
    void refusesAnotherKeyWithoutShowingIt() {
        String other = "c2VjcmV0LWtleS1vZi1hbm90aGVyLWFjY291bnQtMDAwMDAwMDAwMDAwMDAwMDAwMA==";

        assertThat(verifiers.azureBlob(ACCOUNT, other)).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("did not accept the account key for storage account "
                        + "'devstoreaccount1'").doesNotContain(other).doesNotContain(AZURITE_KEY));
    }

    @Test
    void aSkewedClockIsOurProblemNotTheUsers() {
        CredentialVerifiers late = new CredentialVerifiers(TestVerifiers.HTTP,
                Clock.fixed(TestVerifiers.NOW.plus(Duration.ofMinutes(20)), ZoneOffset.UTC),
                Endpoints.defaults().withAzureBlob(azure.baseUrl().toString()));

        assertThat(late.azureBlob(ACCOUNT, AZURITE_KEY)).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("clock"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "my_account", "aaaaaaaaaaaaaaaaaaaaaaaaa", "evil.example/x", "acct.blob.core.windows.net",
            "acct:443", ""})
    void refusesAccountNamesAzureWouldNotHaveWithoutSendingAnything(String name) {
        assertThat(verifiers.azureBlob(name, AZURITE_KEY)).isInstanceOf(Refused.class);
        assertThat(azure.requests()).isEmpty();
    }

    @Test
    void refusesAKeyThatIsNotBase64WithoutSendingAnything() {
        assertThat(verifiers.azureBlob(ACCOUNT, "not-base64-at-all!")).isEqualTo(
                new Refused("account_key must be a storage account key (base64, as the Azure portal shows it)"));
        assertThat(azure.requests()).isEmpty();
    }

    @Test
    void anAccountWithoutADnsNameDoesNotExist() {
        CredentialVerifiers nowhere = TestVerifiers.with(Endpoints.defaults().withAzureBlob("http://{account}.invalid"));

        assertThat(nowhere.azureBlob("nosuchaccount", AZURITE_KEY)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("no Azure storage account named 'nosuchaccount'"));
    }
}
