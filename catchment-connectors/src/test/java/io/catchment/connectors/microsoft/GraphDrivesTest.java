package io.catchment.connectors.microsoft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.http.ProviderResponse;
import io.catchment.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driveItem shapes the fake does not produce (personal OneDrive's shortcuts, OneNote packages, cTag-only items). */
class GraphDrivesTest {
    private final GraphDrives graph = new GraphDrives("OneDrive", 10);
    private final GraphDrives.DriveRef drive = new GraphDrives.DriveRef("d1", "ROOT", null);

    private static JsonNode json(String text) {
        return Json.read(text.replace('\'', '"'));
    }

    @Test
    void aShortcutToAnotherDrivesFileIsFetchedFromThere() {
        SourceItem item = graph.toItem(json("{'id':'A!1','name':'Shared.xlsx','parentReference':{'id':'ROOT'},"
                + "'remoteItem':{'id':'B!9','parentReference':{'driveId':'b-drive'},"
                + "'file':{'mimeType':'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',"
                + "'hashes':{'sha1Hash':'ABCDEF'}}}}"), drive);

        assertThat(item.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(item.parentExternalId()).contains("d1");
        assertThat(item.fileFormat()).contains("XLSX");
        assertThat(item.version()).contains("ABCDEF");
        assertThat(item.metadata().path("drive_id").asText()).isEqualTo("b-drive");
        assertThat(item.metadata().path("item_id").asText()).isEqualTo("B!9");
    }

    @Test
    void aOneNotePackageIsAContainer() {
        SourceItem item = graph.toItem(json("{'id':'N1','name':'Notebook','parentReference':{'id':'F1'},"
                + "'package':{'type':'oneNote'}}"), drive);

        assertThat(item.expandable()).isTrue();
        assertThat(item.parentExternalId()).contains("F1");
        assertThat(item.metadata().path("package_type").asText()).isEqualTo("oneNote");
    }

    @Test
    void theVersionIsAContentHashElseTheCTagElseTheETag() {
        assertThat(GraphDrives.version(json("{'cTag':'c1','eTag':'e1','file':{'hashes':{'quickXorHash':'q','sha1Hash':'s'}}}")))
                .contains("q");
        assertThat(GraphDrives.version(json("{'cTag':'c1','eTag':'e1','file':{}}"))).contains("c1");
        assertThat(GraphDrives.version(json("{'eTag':'e1','file':{}}"))).contains("e1");
        assertThat(GraphDrives.version(json("{'file':{}}"))).isEmpty();
    }

    @Test
    void aFileWithoutAKnownExtensionTakesItsFormatFromTheMimeType() {
        SourceItem item = graph.toItem(json("{'id':'X','name':'README','size':3,'file':{'mimeType':'text/plain'}}"), drive);

        assertThat(item.fileFormat()).contains("TXT");
        assertThat(item.parentExternalId()).contains("d1");
        assertThat(item.size()).hasValue(3);
    }

    @Test
    void pathSegmentsKeepGraphIdCharactersAndEncodeTheRest() {
        assertThat(GraphDrives.segment("contoso.sharepoint.com,1a2b,3c4d")).isEqualTo("contoso.sharepoint.com,1a2b,3c4d");
        assertThat(GraphDrives.segment("b!Ab-_9")).isEqualTo("b!Ab-_9");
        assertThat(GraphDrives.segment("a b/c?d#é")).isEqualTo("a%20b%2Fc%3Fd%23%C3%A9");
    }

    @Test
    void errorTextIsGraphsCodeAndMessageOrTheStartOfTheBody() {
        ProviderResponse graphError = new ProviderResponse(403, Map.of(), "{\"error\":{\"code\":\"accessDenied\",\"message\":\"No.\"}}"
                .getBytes(StandardCharsets.UTF_8));
        ProviderResponse html = new ProviderResponse(502, Map.of("content-type", List.of("text/html")),
                "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8));

        assertThat(GraphDrives.errorText(graphError)).isEqualTo("accessDenied: No.");
        assertThat(GraphDrives.errorText(html)).isEqualTo("<html>Bad gateway</html>");
    }
}
