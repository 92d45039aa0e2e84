package io.catchment.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignerTest {
    // The values of the shared reference's webhook-signature-sample.json (Carbon's own verifier sample).
    static final String KEY = "aa76aee859f223451fd9bfb37ce893a0";
    static final String TIMESTAMP = "1721392406";
    static final String RAW_BODY = "{\"payload\": \"{\\\"webhook_type\\\": \\\"FILES_CREATED\\\", \\\"obj\\\": {\\\"object_type\\\": \\\"FILE_LIST\\\", \\\"object_id\\\": [\\\"46654\\\"], \\\"additional_information\\\": \\\"null\\\"}, \\\"customer_id\\\": \\\"satvik\\\", \\\"timestamp\\\": \\\"1721392406\\\"}\"}";
    static final String EXPECTED_V1 = "t=1721392406,v1=aa2273ab64bb9162e7e7983a9cd7ab9f90d686691b1fd25c577991ad42c53fc1";
    static final String EXPECTED_V2 = "t=1721392406,v2=42a86d4083fee090b5a0800a91e82fb389f0bed4da757d07ee8ba97485194e59";

    @Test
    void reproducesCarbonsSampleSignaturesByteForByte() {
        Signer.Signatures s = Signer.sign(KEY, TIMESTAMP, RAW_BODY);

        assertThat(s.carbonSignature()).isEqualTo(EXPECTED_V1);
        assertThat(s.carbonSignatureCompact()).isEqualTo(EXPECTED_V2);
    }

    @Test
    void theSamplesBodyIsWhatOurSerializerWritesForItsPayload() throws Exception {
        // The dispatcher builds bodies with PythonJson; Carbon's sample body must come out unchanged.
        ObjectNode parsed = (ObjectNode) new ObjectMapper().readTree(RAW_BODY);
        ObjectNode inner = (ObjectNode) new ObjectMapper().readTree(parsed.get("payload").asText());
        ObjectNode rebuilt = new ObjectMapper().createObjectNode().put("payload", PythonJson.dumps(inner));

        assertThat(PythonJson.dumps(rebuilt)).isEqualTo(RAW_BODY);
    }

    @Test
    void anyChangeToTheBodyOrTimestampChangesTheSignature() {
        Signer.Signatures s = Signer.sign(KEY, TIMESTAMP, RAW_BODY);

        assertThat(Signer.sign(KEY, "1721392407", RAW_BODY).carbonSignature()).isNotEqualTo(s.carbonSignature());
        assertThat(Signer.sign(KEY, TIMESTAMP, RAW_BODY.replace("satvik", "satvil")).carbonSignatureCompact())
                .isNotEqualTo(s.carbonSignatureCompact());
        assertThat(Signer.sign("bb76aee859f223451fd9bfb37ce893a0", TIMESTAMP, RAW_BODY).carbonSignature())
                .isNotEqualTo(s.carbonSignature());
    }

    @Test
    void theKeyIsHexDecodedNotUsedAsText() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        String withTextKey = HexFormat.of().formatHex(mac.doFinal((TIMESTAMP + "." + RAW_BODY).getBytes(StandardCharsets.UTF_8)));

        assertThat(Signer.sign(KEY, TIMESTAMP, RAW_BODY).carbonSignature()).doesNotContain(withTextKey);
    }

    @Test
    void refusesABodyThatIsNotJsonAndAKeyThatIsNotHex() {
        assertThatThrownBy(() -> Signer.sign(KEY, TIMESTAMP, "{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signer.sign("not-hex", TIMESTAMP, RAW_BODY)).isInstanceOf(IllegalArgumentException.class);
    }
}
