package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.api.rpc.RpcRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersDigestTest {

    private static final Map<String, String> RUN = Map.of("RegionId", "cn-hangzhou", "Type", "RunShellScript",
            "CommandContent", "sleep 1", "InstanceId.1", "i-a", "ClientToken", "tok");

    private static String digest(Map<String, String> params) {
        return ParametersDigest.of(new RpcRequest("RunCommand", params, "R", "127.0.0.1", null, null));
    }

    @Test
    void transportSignatureAndTokenDoNotCountNorOrder() {
        Map<String, String> v1 = new LinkedHashMap<>(RUN);
        v1.putAll(Map.of("Action", "RunCommand", "Format", "XML", "SignatureNonce", "n1", "Timestamp", "t1",
                "AccessKeyId", "k", "Signature", "s", "SignatureType", "", "Version", "2014-05-26"));
        v1.put("ClientToken", "other");
        assertThat(digest(v1)).isEqualTo(digest(RUN));
    }

    @Test
    void anEmptyValueCountsAsAbsent() {
        Map<String, String> withEmpty = new HashMap<>(RUN);
        withEmpty.put("Name", "");
        assertThat(digest(withEmpty)).isEqualTo(digest(RUN));
    }

    @Test
    void anyChangedAddedOrRemovedParameterChangesIt() {
        Map<String, String> changed = new HashMap<>(RUN);
        changed.put("CommandContent", "sleep 2");
        Map<String, String> added = new HashMap<>(RUN);
        added.put("Timeout", "60");
        Map<String, String> removed = new HashMap<>(RUN);
        removed.remove("InstanceId.1");
        assertThat(digest(changed)).isNotEqualTo(digest(RUN));
        assertThat(digest(added)).isNotEqualTo(digest(RUN));
        assertThat(digest(removed)).isNotEqualTo(digest(RUN));
    }

    @Test
    void boundariesBetweenNamesAndValuesAreUnambiguous() {
        assertThat(digest(Map.of("Name", "ab", "Type", "c"))).isNotEqualTo(digest(Map.of("Name", "a", "Type", "bc")));
    }
}
