package io.stopplane.model.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {

    private static final CommandTemplate.Target TARGET = new CommandTemplate.Target(InstanceId.of("i-one"),
            InvokeId.of("t-abc"), CommandId.of("c-def"), RegionId.of("cn-hangzhou"));

    @Test
    void customParametersAreNamedOnceInTheOrderTheyFirstAppearAndBuiltInsAreNotAmongThem() {
        assertThat(CommandTemplate.parameterNames(
                "echo {{greeting}} {{ name }} on {{ACS::InstanceId}}; echo {{greeting}} {{the_dir-2}}"))
                .containsExactly("greeting", "name", "the_dir-2");
    }

    @Test
    void whatIsNotAPlaceholderStaysAsItIs() {
        String docker = "docker ps --format '{{.Names}}' {{ }} {{a b}} {single}";
        assertThat(CommandTemplate.parameterNames(docker)).isEmpty();
        assertThat(CommandTemplate.resolve(docker, Map.of(), TARGET)).isEqualTo(docker);
    }

    @Test
    void eachTargetGetsItsOwnBuiltInsAndTheCustomValues() {
        String content = "echo {{ACS::InstanceId}} {{ACS::InvokeId}} {{ACS::CommandId}} {{ACS::RegionId}} {{who}}";
        assertThat(CommandTemplate.resolve(content, Map.of("who", "ops"), TARGET))
                .isEqualTo("echo i-one t-abc c-def cn-hangzhou ops");
        CommandTemplate.Target other = new CommandTemplate.Target(InstanceId.of("i-two"), InvokeId.of("t-abc"),
                CommandId.of("c-def"), RegionId.of("cn-hangzhou"));
        assertThat(CommandTemplate.resolve(content, Map.of("who", "ops"), other))
                .isEqualTo("echo i-two t-abc c-def cn-hangzhou ops");
    }

    @Test
    void aValueIsTakenLiterallyEvenWhenItLooksLikeAPlaceholderOrAReplacementGroup() {
        assertThat(CommandTemplate.resolve("echo {{a}} {{b}}", Map.of("a", "{{b}} $1 \\", "b", "x"), TARGET))
                .isEqualTo("echo {{b}} $1 \\ x");
    }

    @Test
    void anUnknownBuiltInIsRefusedRatherThanRunUnresolved() {
        assertThatThrownBy(() -> CommandTemplate.parameterNames("echo {{ACS::Secret}}"))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageContaining("{{ACS::Secret}} is not a built-in")
                .extracting(e -> ((InvalidTemplateException) e).parameter()).isEqualTo("CommandContent");
    }

    @Test
    void atMostTwentyCustomParameters() {
        String twenty = IntStream.range(0, 20).mapToObj(i -> "{{p" + i + "}}").collect(Collectors.joining(" "));
        assertThat(CommandTemplate.parameterNames(twenty)).hasSize(20);
        assertThatThrownBy(() -> CommandTemplate.parameterNames(twenty + " {{p20}}"))
                .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("21 custom parameters");
    }

    @Test
    void aMissingValueAndAValueForNoParameterAreRefusedNamingThemNeverTheValues() {
        assertThatThrownBy(() -> CommandTemplate.check(java.util.List.of("a", "b", "c"), Map.of("b", "secret")))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessage("No value for the parameters a, c of the command.")
                .extracting(e -> ((InvalidTemplateException) e).parameter()).isEqualTo("Parameters");
        assertThatThrownBy(() -> CommandTemplate.check(java.util.List.of("a"), Map.of("a", "1", "zz", "secret")))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessage("The command has no parameter zz.");
        CommandTemplate.check(java.util.List.of("a"), Map.of("a", ""));
    }

    @Test
    void resolvingWithoutAValueIsAnErrorNotThePlaceholderRun() {
        assertThatThrownBy(() -> CommandTemplate.resolve("echo {{a}}", Map.of(), TARGET))
                .isInstanceOf(InvalidTemplateException.class);
    }
}
