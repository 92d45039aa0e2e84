package io.catchment.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Expected texts are Python 3's own output ({@code json.dumps(doc)} and with {@code separators=(",", ":")}). */
class PythonJsonTest {
    static final ObjectMapper PLAIN = new ObjectMapper();

    static final String PYTHON_DEFAULT = "{\"webhook_type\": \"FILE_READY\", \"object\": {\"object_type\": \"FILE\", \"object_id\": [1, 22, 333], \"additional_information\": {\"name\": \"R\\u00e9sum\\u00e9 \\u2013 2024.pdf\", \"emoji\": \"\\ud83d\\ude00\", \"ctl\": \"a\\u0001b\\u007f\\n\\t\", \"quote\": \"\\\"\\\\/\"}}, \"nested\": [[], {}, [null, true, false]], \"numbers\": [0, -7, 12345678901234567890, 1.0, 0.1, -2.5, 1e+16, 1.5e-07, 0.0001, 123456.789, 1e+300, -0.0, 1000000000000000.0, 1e-05]}";
    static final String PYTHON_COMPACT = "{\"webhook_type\":\"FILE_READY\",\"object\":{\"object_type\":\"FILE\",\"object_id\":[1,22,333],\"additional_information\":{\"name\":\"R\\u00e9sum\\u00e9 \\u2013 2024.pdf\",\"emoji\":\"\\ud83d\\ude00\",\"ctl\":\"a\\u0001b\\u007f\\n\\t\",\"quote\":\"\\\"\\\\/\"}},\"nested\":[[],{},[null,true,false]],\"numbers\":[0,-7,12345678901234567890,1.0,0.1,-2.5,1e+16,1.5e-07,0.0001,123456.789,1e+300,-0.0,1000000000000000.0,1e-05]}";

    @Test
    void writesNestedObjectsArraysUnicodeAndNumbersAsPythonDoes() throws Exception {
        JsonNode doc = PLAIN.readTree(PYTHON_DEFAULT);

        assertThat(PythonJson.dumps(doc)).isEqualTo(PYTHON_DEFAULT);
        assertThat(PythonJson.compact(doc)).isEqualTo(PYTHON_COMPACT);
    }

    @Test
    void escapesEverythingOutsidePrintableAsciiFromRealCharacters() {
        // Built in code, so the strings hold the characters themselves, not escapes.
        ObjectNode doc = PLAIN.createObjectNode();
        doc.put("caf\u00e9", "\u2603 \uD83D\uDE00 tab\there \u007f / <b>");

        assertThat(PythonJson.dumps(doc))
                .isEqualTo("{\"caf\\u00e9\": \"\\u2603 \\ud83d\\ude00 tab\\there \\u007f / <b>\"}");
    }

    @Test
    void floatsFollowPythonsRepr() {
        assertThat(PythonJson.pythonFloat(1.0)).isEqualTo("1.0");
        assertThat(PythonJson.pythonFloat(100.0)).isEqualTo("100.0");
        assertThat(PythonJson.pythonFloat(1e16)).isEqualTo("1e+16");
        assertThat(PythonJson.pythonFloat(1.5e16)).isEqualTo("1.5e+16");
        assertThat(PythonJson.pythonFloat(9999999999999998.0)).isEqualTo("9999999999999998.0");
        assertThat(PythonJson.pythonFloat(0.0001)).isEqualTo("0.0001");
        assertThat(PythonJson.pythonFloat(0.00012)).isEqualTo("0.00012");
        assertThat(PythonJson.pythonFloat(0.00001)).isEqualTo("1e-05");
        assertThat(PythonJson.pythonFloat(-1.25e-100)).isEqualTo("-1.25e-100");
        assertThat(PythonJson.pythonFloat(Double.NaN)).isEqualTo("NaN");
        assertThat(PythonJson.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void keepsInsertionOrderAndEmptyContainers() {
        ObjectNode doc = PLAIN.createObjectNode();
        doc.put("z", 1);
        doc.putArray("a");
        doc.putObject("m");
        doc.putNull("n");

        assertThat(PythonJson.dumps(doc)).isEqualTo("{\"z\": 1, \"a\": [], \"m\": {}, \"n\": null}");
        assertThat(PythonJson.compact(doc)).isEqualTo("{\"z\":1,\"a\":[],\"m\":{},\"n\":null}");
    }
}
