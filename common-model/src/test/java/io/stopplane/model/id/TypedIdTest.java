package io.stopplane.model.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TypedIdTest {

    private static final String SIXTY_FOUR = "a".repeat(64);

    // --- InvokeId ---

    @ParameterizedTest
    @ValueSource(strings = {"t-hz0jdfwd9f0001", "t-7d2a745b412b4601b2d47f6a768d1234", "t-A", "t-0",
        "t-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validInvokeIds(String value) {
        InvokeId id = InvokeId.of(value);
        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value).isEqualTo(new InvokeId(value));
        assertThat(InvokeId.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t-", "t", "T-abc", "c-abc", "i-abc", "t-7d2a745b412b4601b2d47f6a768d****",
        "t-abc-def", "t-abc ", " t-abc", "t-ab_c", "t-\u00e9", "t-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidInvokeIds(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> InvokeId.of(value)).withMessageContaining("InvokeId");
        assertThat(InvokeId.isValid(value)).isFalse();
    }

    @Test
    void invokeIdBoundaries() {
        assertThat(InvokeId.isValid("t-" + SIXTY_FOUR)).isTrue();
        assertThat(InvokeId.isValid("t-" + SIXTY_FOUR + "a")).isFalse();
        assertThat(InvokeId.isValid(null)).isFalse();
        assertThatNullPointerException().isThrownBy(() -> InvokeId.of(null));
    }

    @Test
    void randomInvokeIdsAreValidAndDistinct() {
        Set<InvokeId> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            InvokeId id = InvokeId.random();
            assertThat(InvokeId.isValid(id.value())).isTrue();
            assertThat(id.value()).startsWith("t-").hasSize(34);
            seen.add(id);
        }
        assertThat(seen).hasSize(100);
    }

    // --- InstanceId ---

    @ParameterizedTest
    @ValueSource(strings = {"i-bp1aaaa0001", "i-bp67acfmxazb4p1234", "mi-abc123", "i-a", "i-abc-def", "i-0"})
    void validInstanceIds(String value) {
        InstanceId id = InstanceId.of(value);
        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value).isEqualTo(new InstanceId(value));
        assertThat(InstanceId.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "i-", "i", "mi-", "I-abc", "t-abc", "x-abc", "bp1aaaa0001", "i-bp67acfmxazb4p****",
        "i-abc ", "i-ab.c", "i-ab/c", "mmi-abc"})
    void invalidInstanceIds(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> InstanceId.of(value))
                .withMessageContaining("InstanceId");
        assertThat(InstanceId.isValid(value)).isFalse();
    }

    @Test
    void instanceIdBoundaries() {
        assertThat(InstanceId.isValid("i-" + SIXTY_FOUR)).isTrue();
        assertThat(InstanceId.isValid("i-" + SIXTY_FOUR + "a")).isFalse();
        assertThat(InstanceId.isValid(null)).isFalse();
        assertThatNullPointerException().isThrownBy(() -> InstanceId.of(null));
    }

    // --- RegionId ---

    @ParameterizedTest
    @ValueSource(strings = {"cn-hangzhou", "cn-shanghai", "us-west-1", "ap-southeast-1", "cn-hangzhou-finance",
        "eu-central-1", "me-east-1"})
    void validRegionIds(String value) {
        RegionId id = RegionId.of(value);
        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value).isEqualTo(new RegionId(value));
        assertThat(RegionId.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cn", "hangzhou", "CN-Hangzhou", "cn-", "-hangzhou", "cn_hangzhou", "c-hangzhou",
        "cn--hangzhou", "cn-hangzhou ", "cn-hangzhou-", "1n-hangzhou"})
    void invalidRegionIds(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> RegionId.of(value)).withMessageContaining("RegionId");
        assertThat(RegionId.isValid(value)).isFalse();
    }

    @Test
    void regionIdNull() {
        assertThat(RegionId.isValid(null)).isFalse();
        assertThatNullPointerException().isThrownBy(() -> RegionId.of(null));
    }

    // --- CommandId ---

    @ParameterizedTest
    @ValueSource(strings = {"c-hz0jdfwd9f0001", "c-abc", "c-A1", "c-0"})
    void validCommandIds(String value) {
        CommandId id = CommandId.of(value);
        assertThat(id.value()).isEqualTo(value);
        assertThat(id).hasToString(value).isEqualTo(new CommandId(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c-", "c", "C-abc", "t-abc", "c-ab-c", "c-ab c", "c-abc****"})
    void invalidCommandIds(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> CommandId.of(value))
                .withMessageContaining("CommandId");
    }

    @Test
    void commandIdBoundariesAndRandom() {
        assertThat(CommandId.of("c-" + SIXTY_FOUR).value()).hasSize(66);
        assertThatIllegalArgumentException().isThrownBy(() -> CommandId.of("c-" + SIXTY_FOUR + "a"));
        assertThatNullPointerException().isThrownBy(() -> CommandId.of(null));
        CommandId random = CommandId.random();
        assertThat(random.value()).startsWith("c-").hasSize(34);
        assertThat(CommandId.of(random.value())).isEqualTo(random);
        assertThat(CommandId.random()).isNotEqualTo(random);
    }

    @Test
    void idsOfDifferentKindsAreNeverEqual() {
        assertThat((Object) InvokeId.of("t-abc")).isNotEqualTo(CommandId.of("c-abc"));
        assertThat(InstanceId.of("i-abc")).isEqualTo(InstanceId.of("i-abc")).hasSameHashCodeAs(InstanceId.of("i-abc"));
    }
}
