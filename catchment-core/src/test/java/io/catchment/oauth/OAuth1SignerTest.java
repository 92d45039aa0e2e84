package io.catchment.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.oauth.OAuth1Signer.Param;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OAuth1SignerTest {

    /**
     * RFC 5849 §3.4.1.1's example request: {@code POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b} on
     * example.com with the form body {@code c2&a3=2+q} and the Authorization header's protocol
     * parameters (realm and oauth_signature are left out of the base string, §3.4.1.3.1). The
     * expected string is the RFC's, byte for byte (the same string appears in many independent
     * implementations' tests).
     */
    @Test
    void builds_the_signature_base_string_of_rfc_5849_section_3_4_1_1() {
        URI uri = URI.create("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        List<Param> params = List.of(new Param("realm", "Example"),
                new Param("oauth_consumer_key", "9djdj82h48djs9d2"), new Param("oauth_token", "kkk9d7dh3k39sjv7"),
                new Param("oauth_signature_method", "HMAC-SHA1"), new Param("oauth_timestamp", "137131201"),
                new Param("oauth_nonce", "7d8f3e4a"), new Param("oauth_signature", "djosJKDKJSD8743243%2Fjdk33klY%3D"),
                new Param("c2", ""), new Param("a3", "2 q"));

        assertThat(OAuth1Signer.baseString("POST", uri, params)).isEqualTo("POST&http%3A%2F%2Fexample.com%2Frequest"
                + "&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D"
                + "%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"
                + "%26oauth_token%3Dkkk9d7dh3k39sjv7");
    }

    /**
     * HMAC-SHA1 of that base string keyed {@code j49sk3j29djd&dh893hdasih9}, the value computed
     * independently with {@code printf '%s' "$BASE" | openssl dgst -sha1 -hmac 'j49sk3j29djd&dh893hdasih9'
     * -binary | base64}.
     */
    @Test
    void signs_with_both_secrets() {
        String base = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D"
                + "%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

        assertThat(OAuth1Signer.sign(base, "j49sk3j29djd", "dh893hdasih9")).isEqualTo("r6/TJjbCOr97/+UU0NsvSne7s5g=");
        assertThat(OAuth1Signer.sign(base, "j49sk3j29djd", "")).isNotEqualTo("r6/TJjbCOr97/+UU0NsvSne7s5g=");
    }

    /**
     * The worked example of Twitter's "Creating a signature" guide
     * (https://developer.twitter.com/en/docs/authentication/oauth-1-0a/creating-a-signature, the
     * {@code /1/statuses/update.json} edition): fixed nonce and timestamp, a query parameter and a
     * form parameter with spaces, '+', ',' and '!'; the guide's base string and its signature
     * {@code tnnArxj06cWHq44gCs1OSKk/jLY=} (also reproduced with openssl).
     */
    @Test
    void reproduces_the_twitter_documentation_example() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1318622958), ZoneOffset.UTC);
        OAuth1Signer signer = new OAuth1Signer(clock, () -> "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg");
        URI uri = URI.create("https://api.twitter.com/1/statuses/update.json?include_entities=true");
        List<Param> form = List.of(new Param("status", "Hello Ladies + Gentlemen, a signed OAuth request!"));

        String header = signer.authorization("POST", uri, form, "xvz1evFS4wEEPTGEFPHBog",
                "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                Optional.of("370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
                "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", Map.of());

        assertThat(header).startsWith("OAuth ")
                .contains("oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\"")
                .contains("oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\"")
                .contains("oauth_signature_method=\"HMAC-SHA1\"")
                .contains("oauth_timestamp=\"1318622958\"")
                .contains("oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\"")
                .contains("oauth_version=\"1.0\"")
                .contains("oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\"")
                .doesNotContain("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw")
                .doesNotContain("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
        List<Param> signed = List.of(form.getFirst(), new Param("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
                new Param("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
                new Param("oauth_signature_method", "HMAC-SHA1"), new Param("oauth_timestamp", "1318622958"),
                new Param("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
                new Param("oauth_version", "1.0"));
        assertThat(OAuth1Signer.baseString("POST", uri, signed)).isEqualTo("POST&https%3A%2F%2Fapi.twitter.com%2F1%2F"
                + "statuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26"
                + "oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26"
                + "oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26"
                + "oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520"
                + "OAuth%2520request%2521");
    }

    @Test
    void percent_encodes_as_rfc_3986_unreserved_characters_only() {
        assertThat(OAuth1Signer.percentEncode("a b+c*d~e-f.g_h")).isEqualTo("a%20b%2Bc%2Ad~e-f.g_h");
        assertThat(OAuth1Signer.percentEncode("é/=&")).isEqualTo("%C3%A9%2F%3D%26");
        assertThat(OAuth1Signer.percentEncode("")).isEmpty();
    }

    /** RFC 5849 §3.4.1.2's examples: scheme and host lower-cased, default ports dropped, others kept. */
    @Test
    void normalizes_the_base_string_uri() {
        assertThat(OAuth1Signer.baseUri(URI.create("HTTP://EXAMPLE.COM:80/r%20v/X?id=123")))
                .isEqualTo("http://example.com/r%20v/X");
        assertThat(OAuth1Signer.baseUri(URI.create("https://www.example.net:8080/?q=1")))
                .isEqualTo("https://www.example.net:8080/");
        assertThat(OAuth1Signer.baseUri(URI.create("https://www.zotero.org:443/oauth/request")))
                .isEqualTo("https://www.zotero.org/oauth/request");
    }

    @Test
    void every_call_gets_a_fresh_nonce_and_the_current_time() {
        OAuth1Signer signer = new OAuth1Signer();
        URI uri = URI.create("https://www.zotero.org/oauth/request");

        String first = signer.authorization("POST", uri, List.of(), "key", "secret", Optional.empty(), "",
                Map.of("oauth_callback", "https://catchment.example.com/integrations/zotero?state=a b"));
        String second = signer.authorization("POST", uri, List.of(), "key", "secret", Optional.empty(), "",
                Map.of("oauth_callback", "https://catchment.example.com/integrations/zotero?state=a b"));

        assertThat(first).isNotEqualTo(second).doesNotContain("oauth_token=")
                .contains("oauth_callback=\"https%3A%2F%2Fcatchment.example.com%2Fintegrations%2Fzotero%3Fstate%3Da%20b\"");
        long now = Instant.now().getEpochSecond();
        String timestamp = first.replaceAll(".*oauth_timestamp=\"(\\d+)\".*", "$1");
        assertThat(Long.parseLong(timestamp)).isBetween(now - 60, now + 60);
    }
}
