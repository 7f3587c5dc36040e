package io.pcapreplay.lab.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JtlSummaryTest {

    private static final String HEADER = "timeStamp,elapsed,label,responseCode,responseMessage,success,"
        + "failureMessage,bytes,Latency\n";

    @Test
    void shouldCountSamplesErrorsAndLabelsWhenRowsMixSuccessAndFailure() {
        String jtl = HEADER
            + "1,10,GET /,200,OK,true,,100,4\n"
            + "2,30,GET /,200,OK,true,,100,20\n"
            + "3,20,\"POST /echo\",RESET,\"RESET: by the target, after 1 byte\",false,\"RESET: by the target\",0,0\n";

        JtlSummary summary = JtlSummary.of(rows(jtl));

        assertThat(summary.samples()).isEqualTo(3);
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.labels()).containsOnlyKeys("GET /", "POST /echo");
        assertThat(summary.labels().get("GET /")).containsExactly(2, 0);
        assertThat(summary.labels().get("POST /echo")).containsExactly(1, 1);
        assertThat(summary.elapsed()).containsExactly(20, 30);
        assertThat(summary.firstFailure()).isEqualTo("POST /echo: RESET RESET: by the target");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("samples 3, errors 1 (33.3 %)");
    }

    @Test
    void shouldUseNearestRankPercentilesWhenThereAreManyValues() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }

        assertThat(JtlSummary.percentiles(values)).containsExactly(50, 95);
        assertThat(JtlSummary.percentiles(new long[0])).containsExactly(0, 0);
    }

    @Test
    void shouldReportNoSamplesWhenTheJtlHasOnlyItsHeader() {
        JtlSummary summary = JtlSummary.of(rows(HEADER));

        assertThat(summary.samples()).isZero();
        assertThat(summary.errors()).isZero();
        assertThat(summary.labels()).isEmpty();
    }

    private static List<Map<String, String>> rows(String text) {
        return JtlRows.rows(text);
    }
}
