package dev.brownout.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  private static String result(
      String benchmark, int threads, double score, double error, double bytes) {
    return """
        {"jmhVersion":"1.37","benchmark":"dev.brownout.benchmarks.%s","mode":"avgt","threads":%d,"forks":1,
         "jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
         "primaryMetric":{"score":%s,"scoreError":%s,"scoreConfidence":[0,1],"scoreUnit":"ns/op","rawData":[[1.0,2.0]]},
         "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreError":"NaN","scoreUnit":"B/op"}}}
        """
        .formatted(benchmark, threads, score, error, bytes);
  }

  @Test
  void tablesEachScenarioWithTimesAllocationsAndRatiosToBrownout() {
    String json =
        "["
            + String.join(
                ",",
                result("ClosedBreakerBenchmark.brownout", 1, 10.0, 0.5, 0.0),
                result("ClosedBreakerBenchmark.resilience4j", 1, 55.0, 2.0, 0.0),
                result("ClosedBreakerBenchmark.failsafe", 1, 200.0, 10.0, 376.0),
                result("FeatureCheckBenchmark.togglz", 1, 30.0, 1.0, 24.0))
            + "]";

    List<ResultsTable.Row> rows = ResultsTable.read(json);
    String table = ResultsTable.markdown(rows, "benchmarks/run.sh --quick");

    assertThat(rows).hasSize(4);
    assertThat(rows.get(1))
        .isEqualTo(
            new ResultsTable.Row(
                "ClosedBreakerBenchmark",
                "resilience4j",
                1,
                55.0,
                2.0,
                0.0,
                "OpenJDK 64-Bit Server VM 17.0.15"));
    assertThat(table)
        .contains("Measured with `benchmarks/run.sh --quick` on OpenJDK 64-Bit Server VM 17.0.15")
        .contains("### ClosedBreakerBenchmark")
        .contains("| brownout | 1 | 10.0 ± 0.5 | 0 | 1.0× |")
        .contains("| resilience4j | 1 | 55.0 ± 2.0 | 0 | 5.5× |")
        .contains("| failsafe | 1 | 200.0 ± 10.0 | 376 | 20.0× |")
        .contains("### FeatureCheckBenchmark")
        .contains("| togglz | 1 | 30.0 ± 1.0 | 24 | – |");
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> ResultsTable.read("[{\"benchmark\": }]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
  }
}
