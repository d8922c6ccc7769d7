package io.stopplane.api.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stopplane.model.error.ApiError;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RpcRequestTest {

    private static RpcRequest request(Map<String, String> params) {
        return new RpcRequest("StopInvocation", params, "R", "127.0.0.1", null, null);
    }

    @Test
    void listsAreInIndexOrderWithGapsAndDuplicatesCountedOnce() {
        RpcRequest r = request(Map.of("InstanceId.10", "i-c", "InstanceId.3", "i-b", "InstanceId.1", "i-a",
                "InstanceId.4", "i-b", "InstanceIdX", "i-z", "InstanceId", "i-y"));
        assertThat(r.list("InstanceId")).containsExactly("i-a", "i-b", "i-c");
    }

    @Test
    void anEmptyElementIsRefusedNotDropped() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> request(Map.of("InstanceId.1", "i-a", "InstanceId.2", "")).list("InstanceId"));
        assertThat(e.error()).isEqualTo(ApiError.INVALID_PARAMETER);
        assertThat(e.getMessage()).contains("\"InstanceId.2\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"InstanceId.0", "InstanceId.1001", "InstanceId.99999999999999999999"})
    void anIndexOutOfRangeIsRefused(String name) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> request(Map.of(name, "i-a"))
                .list("InstanceId"));
        assertThat(e.error()).isEqualTo(ApiError.INVALID_PARAMETER);
        assertThat(e.getMessage()).contains(name);
    }

    @Test
    void anEmptyValueIsAMissingParameter() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> request(Map.of("RegionId", ""))
                .required("RegionId"));
        assertThat(e.error()).isEqualTo(ApiError.MISSING_PARAMETER);
    }

    @Test
    void numbersAndBooleansAreChecked() {
        RpcRequest r = request(Map.of("Timeout", "abc", "Flag", "yes", "Big", "86401"));
        assertThat(catchThrowableOfType(ApiException.class, () -> r.intParam("Timeout", 60, 1, 86400)).error())
                .isEqualTo(ApiError.INVALID_PARAMETER);
        assertThat(catchThrowableOfType(ApiException.class, () -> r.intParam("Big", 60, 1, 86400)).error())
                .isEqualTo(ApiError.INVALID_PARAMETER);
        assertThat(catchThrowableOfType(ApiException.class, () -> r.boolParam("Flag", false)).error())
                .isEqualTo(ApiError.INVALID_PARAMETER);
        assertThat(r.intParam("Absent", 60, 1, 86400)).isEqualTo(60);
        assertThat(request(Map.of("Flag", "TRUE")).boolParam("Flag", false)).isTrue();
    }
}
