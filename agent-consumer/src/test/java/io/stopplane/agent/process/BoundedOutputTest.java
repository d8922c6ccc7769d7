package io.stopplane.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    @Test
    void keepsEverythingUpTo24Kilobytes() {
        BoundedOutput output = new BoundedOutput();
        byte[] exactly = filled(24 * 1024, 'a');

        output.write(exactly, 0, exactly.length);

        assertThat(output.captured().text()).hasSize(24 * 1024);
        assertThat(output.captured().dropped()).isZero();
    }

    @Test
    void keepsTheFirst24KilobytesAndCountsTheRest() {
        BoundedOutput output = new BoundedOutput();
        byte[] head = filled(20_000, 'a');
        byte[] tail = filled(10_000, 'b');

        output.write(head, 0, head.length);
        output.write(tail, 0, tail.length);

        BoundedOutput.Captured captured = output.captured();
        assertThat(captured.text()).hasSize(24_576).startsWith("aaaa").endsWith("bbbb");
        assertThat(captured.text().chars().filter(c -> c == 'b').count()).isEqualTo(24_576 - 20_000);
        assertThat(captured.dropped()).isEqualTo(30_000 - 24_576);
    }

    @Test
    void aCharacterCutInTwoCountsAsDropped() {
        BoundedOutput output = new BoundedOutput(10);
        // 9 ASCII bytes then the 3-byte euro sign: only its first byte fits.
        byte[] bytes = "123456789€!".getBytes(StandardCharsets.UTF_8);

        output.write(bytes, 0, bytes.length);

        assertThat(output.captured().text()).isEqualTo("123456789");
        assertThat(output.captured().dropped()).isEqualTo(bytes.length - 9);
    }

    @Test
    void aCompleteMultiByteCharacterAtTheCutIsKept() {
        BoundedOutput output = new BoundedOutput(10);
        byte[] bytes = "1234567€!".getBytes(StandardCharsets.UTF_8);

        output.write(bytes, 0, bytes.length);

        assertThat(output.captured().text()).isEqualTo("1234567€");
        assertThat(output.captured().dropped()).isEqualTo(1);
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    @Test
    void bytesCountedElsewhereAddToDropped() {
        BoundedOutput output = new BoundedOutput(10);
        byte[] bytes = "0123456789".getBytes(StandardCharsets.UTF_8);

        output.write(bytes, 0, bytes.length);
        output.skipped(5);

        assertThat(output.captured().text()).isEqualTo("0123456789");
        assertThat(output.captured().dropped()).isEqualTo(5);
    }
}
