package io.stopplane.api.rpc;

import java.util.Map;

/** JSON or XML, from {@code Format}; signature-V1 clients get XML when they omit it, as Alibaba's gateway does. */
enum ResponseFormat {
    JSON, XML;

    static ResponseFormat of(Map<String, String> params) {
        String format = params.get("Format");
        if (format != null && format.equalsIgnoreCase("XML")) {
            return XML;
        }
        if (format != null && format.equalsIgnoreCase("JSON")) {
            return JSON;
        }
        return params.containsKey("SignatureVersion") ? XML : JSON;
    }
}
