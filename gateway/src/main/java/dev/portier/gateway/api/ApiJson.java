package dev.portier.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.portier.gateway.http.HttpCall;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * JSON in and out. Reading is strict: one object, known fields only, each of its declared type (no "1" for a
 * boolean, no 5 for a string), no duplicate keys, nothing after it. Writing uses ISO-8601 for instants and
 * durations. Error messages name the field, never echo the body.
 */
final class ApiJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    private ApiJson() {
    }

    /**
     * The body as {@code type}. An empty body reads as {@code {}} (all fields absent); a non-empty one must be
     * declared {@code application/json} (UTF-8).
     */
    static <T> T read(HttpCall call, Class<T> type) throws ApiException {
        byte[] body = call.body();
        if (body.length == 0) {
            body = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        } else {
            checkContentType(call.header("Content-Type"));
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("bad-json", "the body must be one JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw ApiException.badRequest("unknown-field", "unknown field '" + printable(e.getPropertyName())
                    + "'" + (known.isEmpty() ? "; this call takes no fields" : "; allowed: " + known));
        } catch (StreamReadException e) {
            throw ApiException.badRequest("bad-json", "the body is not valid JSON" + where(e));
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            if (field.isEmpty()) {
                throw ApiException.badRequest("bad-json", "the body must be one JSON object");
            }
            throw ApiException.badRequest("bad-field", "field '" + printable(field) + "' has the wrong type");
        } catch (IOException e) {
            throw ApiException.badRequest("bad-json", "the body cannot be read as JSON");
        }
    }

    private static void checkContentType(String contentType) throws ApiException {
        if (contentType != null) {
            String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
            boolean json = parts[0].strip().equals("application/json");
            boolean utf8 = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().replace("\"", "");
                if (p.startsWith("charset=") && !p.equals("charset=utf-8")) {
                    utf8 = false;
                }
            }
            if (json && utf8) {
                return;
            }
        }
        throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "send the body as Content-Type: application/json (UTF-8)");
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
