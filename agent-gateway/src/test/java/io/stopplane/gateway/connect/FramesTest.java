package io.stopplane.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.command.RunCommand;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void readsHellosAndReportsAndCallsAnythingElseGarbage() {
        assertThat(Frames.parse("{\"type\":\"hello\",\"instances\":[{\"instanceId\":\"mi-a\",\"signature\":\"s\"}]}"))
                .isInstanceOfSatisfying(Frames.InHello.class,
                        h -> assertThat(h.hello().instances().get(0).instanceId()).isEqualTo("mi-a"));
        assertThat(Frames.parse("{\"type\":\"report\",\"id\":\"7\",\"report\":{\"invokeId\":\"t-1\",\"exitCode\":3}}"))
                .isInstanceOfSatisfying(Frames.InReport.class, r -> {
                    assertThat(r.id()).isEqualTo("7");
                    assertThat(r.report().exitCode()).isEqualTo(3);
                });
        assertThat(Frames.parse("{\"type\":\"report\",\"id\":\"7\",\"report\":{\"exitCode\":\"x\"}}"))
                .isInstanceOfSatisfying(Frames.InReport.class, r -> assertThat(r.report()).isNull());
        for (String garbage : new String[] {"", "{", "[]", "42", "{\"type\":3}", "{\"type\":\"welcome\"}",
                "{\"type\":\"hello\",\"instances\":7}"}) {
            assertThat(Frames.parse(garbage)).as(garbage).isInstanceOf(Frames.Garbage.class);
        }
    }

    @Test
    void writesCommandsWithTheirTypeIds() {
        RunCommand run = new RunCommand("e-1", InvokeId.of("t-1"), InstanceId.of("mi-a"),
                Instant.parse("2026-12-07T06:00:00Z"), new CommandSpec(CommandId.of("c-1"), "n", null,
                        CommandSpec.RUN_SHELL_SCRIPT, "true", 60, null, null, null));
        assertThat(Frames.write(new Frames.Commands(List.of(run))))
                .startsWith("{\"type\":\"commands\",\"commands\":[{\"type\":\"RunCommand\",\"commandEventId\":\"e-1\"");
    }
}
