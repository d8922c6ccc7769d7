package io.stopplane.api.rpc;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A list the newer actions answer as a bare JSON array ({@code "ActivationList": [{…}]}) but, in XML, as Alibaba does,
 * wrapped, each item in an element of its own name ({@code <ActivationList><Activation>…</Activation>…}), which is
 * what both SDKs read.
 */
public record ItemList(String item, @JsonValue List<?> items) {

    public ItemList {
        items = List.copyOf(items);
    }
}
