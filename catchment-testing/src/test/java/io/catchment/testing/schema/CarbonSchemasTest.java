package io.catchment.testing.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the validator both passes good Carbon JSON and fails bad JSON for the right reason. */
class CarbonSchemasTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A complete, valid UserResponse (all required fields). */
  private static String user(String id) {
    return "{'id':" + id + ",'organization_id':1,'organization_supplied_user_id':'u1',"
        + "'created_at':'2024-05-01T12:00:00.123456Z','updated_at':'2024-05-01T12:00:00+00:00',"
        + "'deleted_at':null,'num_files_synced':0,'num_characters_synced':0,'num_tokens_synced':0,"
        + "'aggregate_file_size':{},'aggregate_num_characters':{},'aggregate_num_tokens':{},"
        + "'aggregate_num_embeddings':{},'aggregate_num_files_by_source':{},"
        + "'aggregate_num_files_by_file_format':{},'unique_file_tags':[],'enabled_features':null}";
  }

  private static String listUser(String deletedAt) {
    return "{'id':1,'organization_id':1,'organization_supplied_user_id':'u1',"
        + "'created_at':'2024-05-01T12:00:00Z','updated_at':'2024-05-01T12:00:00Z',"
        + "'deleted_at':" + deletedAt + ",'enabled_features':{'x':true}}";
  }

  private static String organization(String createdAt) {
    return "{'id':1,'name':'acme','remove_branding':false,'aggregate_file_size':{},"
        + "'aggregate_num_characters':{},'aggregate_num_tokens':{},'aggregate_num_embeddings':{},"
        + "'aggregate_num_files_by_source':{},'aggregate_num_files_by_file_format':{},"
        + "'file_statistics_aggregated_at':null,'created_at':'" + createdAt + "',"
        + "'updated_at':'2024-05-01T12:00:00Z'}";
  }

  @Test
  void validTokenResponsePasses() {
    JsonNode token = json("{'access_token':'a','refresh_token':'r','extra':'allowed'}");
    assertThat(CarbonSchemas.validate("TokenResponse", token)).isEmpty();
    CarbonSchemas.assertValid("TokenResponse", token);
  }

  @Test
  void missingRefreshTokenFailsNamingTheField() {
    JsonNode token = json("{'access_token':'a'}");
    assertThat(CarbonSchemas.validate("TokenResponse", token))
        .singleElement().asString().contains("refresh_token");
    assertThatThrownBy(() -> CarbonSchemas.assertValid("TokenResponse", token))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("refresh_token")
        .hasMessageContaining("\"access_token\" : \"a\""); // the offending JSON is shown
  }

  @Test
  void userResponseWithStringIdFails() {
    assertThat(CarbonSchemas.validate("UserResponse", json(user("1")))).isEmpty();
    assertThat(CarbonSchemas.validate("UserResponse", json(user("'1'"))))
        .singleElement().asString().contains("id").contains("integer");
  }

  @Test
  void nullableDeletedAtAcceptsNullButNotANumber() {
    assertThat(CarbonSchemas.validate("ListUserResponse", json(listUser("null")))).isEmpty();
    assertThat(CarbonSchemas.validate("ListUserResponse", json(listUser("'2024-05-02T00:00:00Z'"))))
        .isEmpty();
    assertThat(CarbonSchemas.validate("ListUserResponse", json(listUser("5"))))
        .isNotEmpty().allSatisfy(v -> assertThat(v).contains("deleted_at"));
  }

  @Test
  void refsToOtherComponentsResolveAndAreChecked() {
    String ok = "{'detail':[{'loc':['body','x'],'msg':'Field required','type':'missing'}]}";
    assertThat(CarbonSchemas.validate("HTTPValidationError", json(ok))).isEmpty();
    // ValidationError (reached via $ref) requires msg, and loc items are string|integer.
    String bad = "{'detail':[{'loc':['body',true],'type':'missing'}]}";
    assertThat(String.join("\n", CarbonSchemas.validate("HTTPValidationError", json(bad))))
        .contains("msg").contains("loc[1]");
  }

  @Test
  void dateTimeFormatIsAsserted() {
    assertThat(CarbonSchemas.validate("OrganizationResponse", json(organization("2024-05-01T12:00:00Z"))))
        .isEmpty();
    assertThat(CarbonSchemas.validate("OrganizationResponse", json(organization("yesterday"))))
        .singleElement().asString().contains("created_at").contains("date-time");
  }

  @Test
  void validateResponseFindsTheOperationSchema() {
    assertThat(CarbonSchemas.validateResponse("/whoami", "GET", 200, json(user("7")))).isEmpty();
    assertThat(CarbonSchemas.validateResponse("/whoami", "get", 200, json(user("'7'")))).hasSize(1);
    // Inline schemas, and concrete paths matched against templates.
    assertThat(CarbonSchemas.validateResponse("/move_to_hot_storage", "post", 200, json("true"))).isEmpty();
    assertThat(CarbonSchemas.validateResponse("/move_to_hot_storage", "post", 200, json("'yes'"))).hasSize(1);
    assertThat(CarbonSchemas.validateResponse("/raw_file/42", "get", 200, json("{}")))
        .singleElement().asString().contains("presigned_url");
    assertThat(CarbonSchemas.validateResponse("/raw_file/42", "get", 422, json("{'detail':[]}"))).isEmpty();
    assertThatThrownBy(() -> CarbonSchemas.assertValidResponse("/whoami", "get", 200, json("{}")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("GET /whoami -> 200");
  }

  @Test
  void unknownOperationsAndSchemasAreRejected() {
    for (Runnable r : List.<Runnable>of(
        () -> CarbonSchemas.validateResponse("/whoami", "post", 200, json("{}")),
        () -> CarbonSchemas.validateResponse("/whoami", "get", 404, json("{}")),
        () -> CarbonSchemas.validateResponse("/no/such/path", "get", 200, json("{}")),
        () -> CarbonSchemas.validate("NoSuchSchema", json("{}")))) {
      assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
