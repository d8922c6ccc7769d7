package io.stopplane.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.model.error.ApiError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Parameters} as the SDKs send it, and its check against a command's parameters, before anything is run. */
class ParameterValuesTest {

    private static RpcRequest with(String parameters) {
        return new RpcRequest("InvokeCommand", parameters == null ? Map.of() : Map.of("Parameters", parameters), "R",
                "127.0.0.1", null, null);
    }

    @Test
    void aJsonObjectOfStringsNumbersAndBooleansIsTheirText() {
        assertThat(ParameterValues.read(with("{\"name\":\"web 1\",\"count\":3,\"ratio\":0.5,\"dry\":true,"
                + "\"empty\":\"\"}")))
                .containsExactly(Map.entry("name", "web 1"), Map.entry("count", "3"), Map.entry("ratio", "0.5"),
                        Map.entry("dry", "true"), Map.entry("empty", ""));
        assertThat(ParameterValues.read(with(null))).isEmpty();
        assertThat(ParameterValues.read(with("  "))).isEmpty();
        assertThat(ParameterValues.read(with("{}"))).isEmpty();
    }

    @Test
    void anythingElseIsInvalidParameterNamingParametersNeverTheValue() {
        for (String bad : List.of("not json", "[\"a\"]", "\"a\"", "{\"a\":", "{\"a\":null}", "{\"a\":[1]}",
                "{\"a\":{\"b\":\"secret\"}}")) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> ParameterValues.read(with(bad)));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.error()).isEqualTo(ApiError.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains("Parameters").doesNotContain("secret");
        }
    }

    @Test
    void valuesAreCheckedAgainstTheCommandsParametersOnlyWhenItTakesParameters() {
        assertThat(ParameterValues.forCommand(false, List.of(), Map.of())).isNull();
        assertThat(refusal(() -> ParameterValues.forCommand(false, List.of(), Map.of("a", "1"))))
                .contains("EnableParameter");
        assertThat(ParameterValues.forCommand(true, List.of("a"), Map.of("a", "1"))).containsEntry("a", "1");
        assertThat(ParameterValues.forCommand(true, List.of(), Map.of())).isEmpty();
        assertThat(refusal(() -> ParameterValues.forCommand(true, List.of("a", "b"), Map.of("a", "1"))))
                .contains("Parameters", "No value for the parameter b");
        assertThat(refusal(() -> ParameterValues.forCommand(true, List.of("a"), Map.of("a", "1", "x", "2"))))
                .contains("no parameter x");
        assertThat(refusal(() -> ParameterValues.names("echo {{ACS::Nope}}"))).contains("CommandContent",
                "ACS::Nope");
    }

    private static String refusal(Runnable call) {
        ApiException e = catchThrowableOfType(ApiException.class, call::run);
        assertThat(e).isNotNull();
        assertThat(e.error()).isEqualTo(ApiError.INVALID_PARAMETER);
        return e.getMessage();
    }
}
