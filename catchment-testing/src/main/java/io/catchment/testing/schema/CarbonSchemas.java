package io.catchment.testing.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against Carbon's OpenAPI 3.1 spec ({@code carbon/openapi.json} on the classpath).
 *
 * <p>The whole spec is registered as one schema document under {@value #SPEC_IRI}; a component or
 * response schema is a sub-schema of it, so {@code $ref: "#/components/schemas/X"} resolves against
 * the whole document. The dialect is OpenAPI 3.1's (JSON Schema 2020-12 plus OpenAPI keywords).
 *
 * <p>What is checked: {@code type}, {@code required}, {@code properties}, {@code items},
 * {@code anyOf}/{@code oneOf}/{@code allOf}, {@code enum}, {@code const}, {@code additionalProperties}
 * and every other 2020-12 assertion the spec uses. {@code format} is an <em>assertion</em> here, so a
 * {@code date-time} must be an RFC 3339 date-time <em>with a zone offset</em> (e.g.
 * {@code 2024-05-01T12:00:00.123456Z} or {@code ...+00:00}); a naive {@code 2024-05-01T12:00:00}
 * fails. Properties the spec does not mention are allowed, as the spec does not forbid them.
 *
 * <p>Thread-safe; the spec is parsed once, on first use.
 */
public final class CarbonSchemas {

  /** Base IRI of the spec document; {@code classpath:} so the library could also load it itself. */
  public static final String SPEC_IRI = "classpath:carbon/openapi.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Compiled sub-schemas keyed by their location in the spec; compiling is the costly part. */
  private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

  /**
   * Keys that are not JSON Schema keywords but occur where the library expects schemas: the
   * top-level fields of an OpenAPI document (the whole document is the root "schema"), and
   * {@code gte}, a Pydantic leftover in a few Carbon schemas. Declared so they are ignored quietly.
   */
  private static final List<String> IGNORED_KEYWORDS = List.of("openapi", "info",
      "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags",
      "externalDocs", "gte");

  private CarbonSchemas() {}

  /** Holder idiom: the JVM loads (and thus parses the spec) once, lazily and thread-safely. */
  private static final class Spec {
    static final JsonNode DOCUMENT = readSpec();
    static final JsonSchema ROOT = compileRoot(DOCUMENT);
  }

  /** The parsed spec document (read-only by convention; do not mutate). */
  public static JsonNode spec() {
    return Spec.DOCUMENT;
  }

  /**
   * Validates {@code node} against {@code #/components/schemas/<schemaName>}.
   *
   * @return human-readable violations such as {@code "$.id: string found, integer expected"}; empty
   *     when valid
   * @throws IllegalArgumentException if the spec has no such component schema
   */
  public static List<String> validate(String schemaName, JsonNode node) {
    if (!Spec.DOCUMENT.path("components").path("schemas").has(schemaName)) {
      throw new IllegalArgumentException("No component schema '" + schemaName + "' in Carbon's spec");
    }
    return validateAt(List.of("components", "schemas", schemaName), node);
  }

  /** Like {@link #validate} but throws {@link AssertionError} listing violations and the JSON. */
  public static void assertValid(String schemaName, JsonNode node) {
    failIfInvalid(schemaName, validate(schemaName, node), node);
  }

  /**
   * Validates a response body against the {@code application/json} schema (a {@code $ref} or an
   * inline schema) of {@code responses.<status>} of the operation {@code method path}.
   *
   * @param path a path key of the spec, e.g. {@code "/whoami"} or {@code "/raw_file/{file_id}"};
   *     a concrete path such as {@code "/raw_file/42"} is matched against the templates too
   * @param method HTTP method, any case
   * @throws IllegalArgumentException if the spec has no JSON schema for that path/method/status
   */
  public static List<String> validateResponse(String path, String method, int status, JsonNode body) {
    String pathKey = findPathKey(path);
    String op = method.toLowerCase(Locale.ROOT);
    List<String> pointer = List.of("paths", pathKey == null ? path : pathKey, op, "responses",
        Integer.toString(status), "content", "application/json", "schema");
    if (pathKey == null || resolve(pointer).isMissingNode()) {
      throw new IllegalArgumentException("Carbon's spec has no application/json schema for "
          + method.toUpperCase(Locale.ROOT) + " " + path + " -> " + status);
    }
    return validateAt(pointer, body);
  }

  /** Like {@link #validateResponse} but throws {@link AssertionError} on violations. */
  public static void assertValidResponse(String path, String method, int status, JsonNode body) {
    String what = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + status;
    failIfInvalid(what, validateResponse(path, method, status, body), body);
  }

  private static List<String> validateAt(List<String> pointer, JsonNode node) {
    JsonSchema schema = COMPILED.computeIfAbsent(String.join("/", pointer), k -> compile(pointer));
    // A Java null is not JSON null; treat it as such so callers get a violation, not an NPE.
    JsonNode instance = node == null ? MAPPER.nullNode() : node;
    return schema.validate(instance).stream().map(ValidationMessage::getMessage).toList();
  }

  private static JsonSchema compile(List<String> pointer) {
    JsonNodePath fragment = new JsonNodePath(PathType.JSON_POINTER);
    for (String name : pointer) {
      fragment = fragment.append(name);
    }
    JsonSchema schema = Spec.ROOT.getSubSchema(fragment);
    // Build validators (and preload $refs) now, inside computeIfAbsent, not racily on first use.
    schema.initializeValidators();
    return schema;
  }

  /** An exact path key, else the template whose {params} match with the most literal segments. */
  private static String findPathKey(String path) {
    JsonNode paths = Spec.DOCUMENT.path("paths");
    if (paths.has(path)) {
      return path;
    }
    String[] actual = path.split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (Iterator<String> keys = paths.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      String[] template = key.split("/", -1);
      if (template.length != actual.length) {
        continue;
      }
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < template.length && matches; i++) {
        boolean param = template[i].startsWith("{") && template[i].endsWith("}");
        matches = param ? !actual[i].isEmpty() : template[i].equals(actual[i]);
        literals += param ? 0 : 1;
      }
      if (matches && literals > bestLiterals) {
        best = key;
        bestLiterals = literals;
      }
    }
    return best;
  }

  private static JsonNode resolve(List<String> pointer) {
    JsonNode node = Spec.DOCUMENT;
    for (String name : pointer) {
      node = node.path(name);
    }
    return node;
  }

  private static void failIfInvalid(String what, List<String> violations, JsonNode node) {
    if (violations.isEmpty()) {
      return;
    }
    String json;
    try {
      json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      json = String.valueOf(node);
    }
    throw new AssertionError("JSON does not match Carbon's " + what + ":\n  - "
        + String.join("\n  - ", violations) + "\nJSON:\n" + json);
  }

  private static JsonNode readSpec() {
    try (InputStream in = CarbonSchemas.class.getClassLoader().getResourceAsStream("carbon/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("carbon/openapi.json is not on the classpath");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read carbon/openapi.json", e);
    }
  }

  private static JsonSchema compileRoot(JsonNode document) {
    // OpenAPI 3.1's dialect; unknown keywords would otherwise each log a warning.
    JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi31.getInstance())
        .keywords(IGNORED_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
        .build();
    // The spec has no $schema of its own, so this dialect must be the default.
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        b -> b.metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri()));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        // 2020-12 treats format as an annotation by default; Carbon timestamps must be date-times.
        .formatAssertionsEnabled(true)
        // Violations read "$.detail[0].msg: ..." rather than JSON pointers.
        .pathType(PathType.JSON_PATH)
        .build();
    return factory.getSchema(SchemaLocation.of(SPEC_IRI), document, config);
  }
}
