package io.logsdistributor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeLogTest {

    @Test
    void lineBreaksAndOtherControlCharactersBecomeEscapes() {
        assertThat(SafeLog.escape("p-1\r\n12:00:00.000 WARN [x] Fake - forged")).isEqualTo(
                "p-1\\u000d\\u000a12:00:00.000 WARN [x] Fake - forged");
        assertThat(SafeLog.escape("a\u001b[31mred\u0085\u2028b\u0000")).isEqualTo("a\\u001b[31mred\\u0085\\u2028b\\u0000");
    }

    @Test
    void aBackslashIsDoubledSoThatAnEscapeCannotBeFaked() {
        assertThat(SafeLog.escape("a\\u000ab")).isEqualTo("a\\\\u000ab");
    }

    @Test
    void plainValuesPassUnchangedAndLongOnesAreCut() {
        assertThat(SafeLog.escape("agent-7 ünïcode ✓")).isEqualTo("agent-7 ünïcode ✓");
        assertThat(SafeLog.escape(null)).isEqualTo("null");
        String cut = SafeLog.escape("x".repeat(1000));
        assertThat(cut).startsWith("x".repeat(SafeLog.MAX_CHARS)).endsWith("...(1000 chars)");
    }
}
