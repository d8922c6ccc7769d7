package io.stopplane.api.rpc;

import io.stopplane.model.json.StopPlaneJson;
import java.util.Collection;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Renders a response map in the Alibaba shape: JSON as is; XML with lists as repeated elements, an {@link ItemList}
 * wrapped.
 */
@Component
class ResponseWriter {

    ResponseEntity<String> write(int status, String root, Map<String, Object> body, ResponseFormat format,
            String requestId) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).header("x-acs-request-id", requestId);
        if (format == ResponseFormat.XML) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            element(xml, root, body);
            return builder.contentType(MediaType.APPLICATION_XML).body(xml.toString());
        }
        return builder.contentType(MediaType.APPLICATION_JSON).body(StopPlaneJson.mapper().writeValueAsString(body));
    }

    private static void element(StringBuilder xml, String name, Object value) {
        if (value instanceof ItemList list) {
            xml.append('<').append(name).append('>');
            list.items().forEach(item -> element(xml, list.item(), item));
            xml.append("</").append(name).append('>');
            return;
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                element(xml, name, item);
            }
            return;
        }
        xml.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    element(xml, String.valueOf(k), v);
                }
            });
        } else if (value != null) {
            escape(xml, String.valueOf(value));
        }
        xml.append("</").append(name).append('>');
    }

    private static void escape(StringBuilder xml, String text) {
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                default -> xml.append(c);
            }
        }
    }
}
