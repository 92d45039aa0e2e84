package io.catchment.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeXmlTest {

    @Test
    void readsATreeWithAttributesAndTextExactlyAsSent() throws Exception {
        SafeXml.Node root = SafeXml.parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <EnumerationResults xmlns="http://example.invalid/ns" ServiceEndpoint="https://acct.example.invalid/">
                  <Blobs>
                    <Blob><Name Encoded="true">%20padded%20</Name></Blob>
                    <Blob><Name>  spaced key  </Name><Size>   </Size></Blob>
                    <Blob><Name><![CDATA[a<b>&c]]></Name></Blob>
                  </Blobs>
                  <NextMarker/>
                </EnumerationResults>
                """);

        assertThat(root.name()).isEqualTo("EnumerationResults");
        assertThat(root.attributes()).isEqualTo(Map.of("ServiceEndpoint", "https://acct.example.invalid/"));
        var blobs = root.child("Blobs").orElseThrow().all("Blob");
        assertThat(blobs).hasSize(3);
        assertThat(blobs.get(0).child("Name").orElseThrow().attributes()).containsEntry("Encoded", "true");
        assertThat(blobs.get(1).rawText("Name")).contains("  spaced key  ");
        assertThat(blobs.get(1).text("Name")).contains("spaced key");
        assertThat(blobs.get(1).text("Size")).isEmpty();
        assertThat(blobs.get(1).rawText("Size")).contains("   ");
        assertThat(blobs.get(1).rawText("Missing")).isEmpty();
        assertThat(blobs.get(2).rawText("Name")).contains("a<b>&c");
        assertThat(root.text("NextMarker")).isEmpty();
        assertThat(root.rawText("NextMarker")).contains("");
        assertThat(root.child("Nope")).isEmpty();
        assertThat(root.all("Nope")).isEmpty();
    }

    @Test
    void bytesAreDecodedByTheirDeclaredEncoding() throws Exception {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Error><Message>caf\u00e9</Message></Error>"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "<Error><Message>caf\u00e9 \u6771\u4eac</Message></Error>".getBytes(StandardCharsets.UTF_8);

        assertThat(SafeXml.parse(latin1).text("Message")).contains("caf\u00e9");
        assertThat(SafeXml.parse(utf8).text("Message")).contains("caf\u00e9 \u6771\u4eac");
    }

    @Test
    void externalEntitiesAreNeverRead(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<r><v>&xxe;</v></r>";

        assertThatThrownBy(() -> SafeXml.parse(xxe)).isInstanceOf(XMLStreamException.class);
        assertThatThrownBy(() -> SafeXml.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(XMLStreamException.class);
        assertThat(streamedText(xxe)).doesNotContain("TOP-SECRET");
    }

    @Test
    void entityExpansionBombsAreRefused() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String previous = "&lol" + (i - 1) + ";";
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
        }
        String bomb = dtd + "]><lolz>&lol9;</lolz>";

        assertThatThrownBy(() -> SafeXml.parse(bomb)).isInstanceOf(XMLStreamException.class);
    }

    @Test
    void tooDeepDocumentsAreRefused() throws Exception {
        int limit = SafeXml.MAX_DEPTH;
        assertThat(SafeXml.parse(nested(limit)).name()).isEqualTo("e");
        assertThatThrownBy(() -> SafeXml.parse(nested(limit + 1)))
                .isInstanceOf(XMLStreamException.class)
                .hasMessageContaining("too large or too deep");
    }

    @Test
    void tooManyElementsAreRefused() throws Exception {
        assertThat(SafeXml.parse(flat(SafeXml.MAX_ELEMENTS - 1)).children()).hasSize(SafeXml.MAX_ELEMENTS - 1);
        assertThatThrownBy(() -> SafeXml.parse(flat(SafeXml.MAX_ELEMENTS)))
                .isInstanceOf(XMLStreamException.class)
                .hasMessageContaining("too large or too deep");
    }

    @Test
    void aFullAzureBlobPageFits() throws Exception {
        String properties = "<Creation-Time>Mon, 01 Jan 2024 00:00:00 GMT</Creation-Time>"
                + "<Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x8D</Etag>"
                + "<Content-Length>12</Content-Length><Content-Type>text/plain</Content-Type>"
                + "<Content-Encoding/><Content-Language/><Content-CRC64/><Content-MD5>AAAA</Content-MD5>"
                + "<Cache-Control/><Content-Disposition/><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>"
                + "<AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus>"
                + "<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>";
        StringBuilder xml = new StringBuilder("<EnumerationResults><Blobs>");
        for (int i = 0; i < 5000; i++) {
            xml.append("<Blob><Name>file-").append(i).append(".txt</Name><Properties>").append(properties)
                    .append("</Properties><OrMetadata/></Blob>");
        }
        xml.append("</Blobs><NextMarker/></EnumerationResults>");

        assertThat(SafeXml.parse(xml.toString().getBytes(StandardCharsets.UTF_8))
                .child("Blobs").orElseThrow().all("Blob")).hasSize(5000);
    }

    @Test
    void malformedOrEmptyDocumentsAreRefused() {
        assertThatThrownBy(() -> SafeXml.parse("<a><b></a>")).isInstanceOf(XMLStreamException.class);
        assertThatThrownBy(() -> SafeXml.parse("not xml")).isInstanceOf(XMLStreamException.class);
        assertThatThrownBy(() -> SafeXml.parse(new byte[0])).isInstanceOf(XMLStreamException.class);
    }

    @Test
    void nodesAreImmutable() {
        var node = new SafeXml.Node("a", new java.util.HashMap<>(Map.of("k", "v")), "", new java.util.ArrayList<>());
        assertThatThrownBy(() -> node.children().add(node)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> node.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static String streamedText(String xml) {
        StringBuilder text = new StringBuilder();
        try {
            XMLStreamReader reader = SafeXml.reader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(reader.getText());
                }
            }
        } catch (XMLStreamException refused) {
            // refusing the document is as good as not expanding the entity
        }
        return text.toString();
    }

    private static String nested(int depth) {
        return "<e>".repeat(depth) + "</e>".repeat(depth);
    }

    private static String flat(int children) {
        return "<r>" + "<c/>".repeat(children) + "</r>";
    }
}
