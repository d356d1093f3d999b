package dev.brownout.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH JSON results into the Markdown table of {@code benchmarks/results/results.md}: per
 * scenario (benchmark class) and thread count, each library's ns/op with its error, B/op, and its
 * time as a multiple of Brownout's.
 *
 * <p>Usage: {@code ResultsTable --command "<how it was run>" results-1.json [results-2.json ...]}
 */
public final class ResultsTable {

  /** One measured method. */
  record Row(
      String scenario,
      String library,
      int threads,
      double nanos,
      double error,
      double bytes,
      String jdk) {}

  private ResultsTable() {}

  public static void main(String[] args) throws IOException {
    String command = "";
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--command")) {
        command = args[++i];
      } else {
        rows.addAll(read(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8)));
      }
    }
    System.out.print(markdown(rows, command));
  }

  /** The rows of one JMH JSON result file. */
  static List<Row> read(String json) {
    List<Row> rows = new ArrayList<>();
    for (Object item : (List<?>) Json.parse(json)) {
      Map<?, ?> result = (Map<?, ?>) item;
      String benchmark = (String) result.get("benchmark");
      int dot = benchmark.lastIndexOf('.');
      String scenario = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
      Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
      Map<?, ?> secondary = (Map<?, ?>) result.get("secondaryMetrics");
      double bytes = Double.NaN;
      if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> alloc) {
        bytes = number(alloc.get("score"));
      }
      rows.add(
          new Row(
              scenario,
              benchmark.substring(dot + 1),
              (int) number(result.get("threads")),
              number(primary.get("score")),
              number(primary.get("scoreError")),
              bytes,
              result.get("vmName") + " " + result.get("jdkVersion")));
    }
    return rows;
  }

  private static double number(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      return s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }
    return Double.NaN;
  }

  /** The Markdown report: one table per scenario, rows per library and thread count. */
  static String markdown(List<Row> rows, String command) {
    StringBuilder out = new StringBuilder();
    out.append("Measured with `").append(command).append("`");
    if (!rows.isEmpty()) {
      out.append(" on ").append(rows.get(0).jdk());
    }
    out.append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(
            " cores. Average time per call; B/op from `-prof gc`; \"× Brownout\" is the library's time")
        .append(" divided by Brownout's in the same scenario and thread count.\n");
    Map<String, List<Row>> byScenario = new LinkedHashMap<>();
    for (Row row : rows) {
      byScenario.computeIfAbsent(row.scenario(), s -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<String, List<Row>> scenario : byScenario.entrySet()) {
      out.append("\n### ").append(scenario.getKey()).append("\n\n");
      out.append("| library | threads | ns/op | B/op | × Brownout |\n");
      out.append("|---|---:|---:|---:|---:|\n");
      for (Row row : scenario.getValue()) {
        Row reference = brownout(scenario.getValue(), row.threads());
        out.append("| ")
            .append(row.library())
            .append(" | ")
            .append(row.threads())
            .append(" | ")
            .append(format("%.1f ± %.1f", row.nanos(), row.error()))
            .append(" | ")
            .append(Double.isNaN(row.bytes()) ? "–" : format("%.0f", row.bytes()))
            .append(" | ")
            .append(reference == null ? "–" : format("%.1f×", row.nanos() / reference.nanos()))
            .append(" |\n");
      }
    }
    return out.toString();
  }

  private static Row brownout(List<Row> rows, int threads) {
    for (Row row : rows) {
      if (row.library().equals("brownout") && row.threads() == threads) {
        return row;
      }
    }
    return null;
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }

  private static String format(String pattern, double a, double b) {
    return String.format(Locale.ROOT, pattern, a, b);
  }
}
