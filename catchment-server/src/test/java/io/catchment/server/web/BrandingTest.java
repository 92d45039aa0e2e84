package io.catchment.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrandingTest {
    @Test
    void contrastFollowsWcag() {
        assertThat(Colors.contrast("#000000", "#ffffff")).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Colors.contrast("#777777", "#ffffff")).isCloseTo(4.48, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Colors.textOn("#ffcc00")).isEqualTo(Colors.INK);
        assertThat(Colors.textOn("#1f5fbf")).isEqualTo(Colors.WHITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#ffcc00", "#ffffff", "#00ff00", "#1f5fbf", "#000000", "#ff69b4", "#808080"})
    void anyBrandColourYieldsReadableLinksAndButtons(String colour) {
        Branding b = Branding.of("Acme", Optional.empty(), colour, true);
        assertThat(Colors.contrast(b.brandText(), Colors.WHITE)).as("links on white").isGreaterThanOrEqualTo(4.5);
        assertThat(Colors.contrast(b.brand(), b.onBrand())).as("button labels").isGreaterThanOrEqualTo(4.5);
    }

    @Test
    void aReadableColourIsKeptAsChosen() {
        Branding b = Branding.of("Acme", Optional.empty(), "#1f5fbf", true);
        assertThat(b.brand()).isEqualTo("#1f5fbf");
        assertThat(b.brandText()).isEqualTo("#1f5fbf");
    }

    @Test
    void jsonInAScriptBlockCannotCloseIt() {
        String json = "{\"name\":\"</script><script>alert(1)</script>\",\"amp\":\"a&b\"}";
        String placed = Html.scriptJson(json);
        assertThat(placed).doesNotContain("<").doesNotContain(">").doesNotContain("&");
        assertThat(io.catchment.json.Json.readObject(placed).get("name").asText())
                .isEqualTo("</script><script>alert(1)</script>");
    }

    @Test
    void servicesAreNamedAsTheirMakersWriteThem() {
        assertThat(ServiceNames.display("GOOGLE_DRIVE")).isEqualTo("Google Drive");
        assertThat(ServiceNames.display("ONEDRIVE")).isEqualTo("OneDrive");
        assertThat(ServiceNames.display("SHAREPOINT")).isEqualTo("SharePoint");
        assertThat(ServiceNames.display("")).isEqualTo("the service");
    }
}
