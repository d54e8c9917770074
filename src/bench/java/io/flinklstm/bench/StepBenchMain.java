package io.flinklstm.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the step benchmarks {@code --runs N} times (default 2), the whole suite each time so that
 * the runs see different moments of a shared machine, and prints the median time per step per key
 * over all measurement iterations of all runs, with its share of the physical bound ({@link
 * Shape#boundNanos}) as a Markdown table. The bound is taken twice: with the reference Zen 4's
 * peaks, and with this machine's as {@link PeakBench} measures them in the same runs (its fastest
 * iterations; the last columns, for our vector kernel, with the fastest tenth of its iterations
 * beside the median). Where {@link PhaseBench} ran, two more tables give the phases of the batched
 * step, with the affine map's share of the FMA peak, and of the batch-1 step, with the affine map's
 * share of the time its weights take to read. Every other argument is JMH's own (for instance
 * {@code -p shape=H64/D8}, {@code -prof gc}); the raw scores of every run are written to {@code
 * target/bench-step.csv}.
 */
public final class StepBenchMain {
  private static final String DEFAULT_INCLUDE =
      "io\\.flinklstm\\.bench\\.(\\w*StepBench|PeakBench|PhaseBench)\\.";
  private static final List<String> PHASES = List.of("gather", "affine", "gates", "head");
  private static final List<String> ONE_KEY_PHASES = List.of("affineOne", "gatesOne");
  private static final List<String> CONTENDERS = List.of("vector", "scalar", "nd4j", "dl4j");

  private StepBenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
    int runs = takeRuns(jmhArgs);
    CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      builder.include(DEFAULT_INCLUDE);
    }
    Options options = builder.build();
    // (contender, shape, batch) -> one score per run; the same for allocation.
    Map<String, List<Double>> times = new TreeMap<>();
    Map<String, List<Double>> allocs = new TreeMap<>();
    Map<String, List<Double>> peaks = new TreeMap<>();
    // (shape, phase) -> iteration scores
    Map<String, List<Double>> phases = new TreeMap<>();
    StringBuilder csv =
        new StringBuilder("run,contender,shape,batch,mean_ns,median_ns,bytes_per_key\n");
    for (int run = 1; run <= runs; run++) {
      for (RunResult r : run(options)) {
        String benchmark = r.getParams().getBenchmark();
        if (benchmark.contains(".PeakBench.")) {
          String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
          peaks.computeIfAbsent(method, k -> new ArrayList<>()).addAll(iterationScores(r));
          continue;
        }
        if (benchmark.contains(".PhaseBench.")) {
          String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
          String shape = r.getParams().getParam("shape");
          phases
              .computeIfAbsent(shape + "," + method, k -> new ArrayList<>())
              .addAll(iterationScores(r));
          continue;
        }
        String key = key(r);
        List<Double> iterations = iterationScores(r);
        times.computeIfAbsent(key, k -> new ArrayList<>()).addAll(iterations);
        double bytes = allocation(r);
        if (!Double.isNaN(bytes)) {
          allocs.computeIfAbsent(key, k -> new ArrayList<>()).add(bytes);
        }
        csv.append(
            String.format(
                Locale.ROOT,
                "%d,%s,%.2f,%.2f,%.1f%n",
                run,
                key,
                r.getPrimaryResult().getScore(),
                median(iterations),
                bytes));
      }
    }
    Path out = Path.of("target", "bench-step.csv");
    Files.createDirectories(out.getParent());
    Files.writeString(out, csv);
    Peaks here = measured(peaks);
    print(System.out, times, allocs, here, runs, cli.getJvmArgsAppend().orElse(List.of()));
    if (!phases.isEmpty()) {
      printPhases(System.out, phases, times, here);
      printOneKeyPhases(System.out, phases, times, here);
    }
  }

  /**
   * This machine's peaks from {@link PeakBench}'s fastest iterations (which see), or null where it
   * did not run.
   */
  private static Peaks measured(Map<String, List<Double>> peaks) {
    if (!peaks.keySet().containsAll(List.of("fma", "readL1", "readL2"))) {
      return null;
    }
    return new Peaks(
        2.0 * PeakBench.S.length() / fastest(peaks.get("fma")),
        4.0 * PeakBench.L1_FLOATS / fastest(peaks.get("readL1")),
        4.0 * PeakBench.L2_FLOATS / fastest(peaks.get("readL2")));
  }

  private static double fastest(List<Double> nanos) {
    return nanos.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static int takeRuns(List<String> args) {
    int i = args.indexOf("--runs");
    if (i < 0) {
      return 2;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException("--runs needs a number");
    }
    int runs = Integer.parseInt(args.get(i + 1));
    args.subList(i, i + 2).clear();
    return runs;
  }

  private static Iterable<RunResult> run(Options options) throws RunnerException {
    return new Runner(options).run();
  }

  /** "contender,shape,batch" from the benchmark's class, method and parameters. */
  private static String key(RunResult r) {
    String benchmark = r.getParams().getBenchmark();
    String[] parts = benchmark.split("\\.");
    String clazz = parts[parts.length - 2];
    String method = parts[parts.length - 1];
    String contender =
        clazz.equals("StepBench")
            ? r.getParams().getParam("kernel")
            : clazz.replace("StepBench", "").toLowerCase(Locale.ROOT);
    return contender + "," + r.getParams().getParam("shape") + "," + method.replace("batch", "");
  }

  /**
   * The scores of the measurement iterations. The table shows their median over all runs rather
   * than JMH's mean: on a shared machine a few iterations land on a busy core and would move the
   * mean by tens of per cent.
   */
  private static List<Double> iterationScores(RunResult r) {
    List<Double> scores = new ArrayList<>();
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        scores.add(iteration.getPrimaryResult().getScore());
      }
    }
    return scores;
  }

  /** Bytes allocated per step per key, or NaN without {@code -prof gc}. */
  private static double allocation(RunResult r) {
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    return Double.NaN;
  }

  private static void print(
      PrintStream out,
      Map<String, List<Double>> times,
      Map<String, List<Double>> allocs,
      Peaks here,
      int runs,
      Collection<String> jvmArgsAppend) {
    out.println();
    out.printf(
        "Per step per key, µs, median of the measurement iterations of %d run(s) (%% = share of the"
            + " bound reached)%s%n%n",
        runs, jvmArgsAppend.isEmpty() ? "" : "; fork JVM args appended: " + jvmArgsAppend);
    for (Peaks p : here == null ? List.of(Peaks.ZEN4) : List.of(Peaks.ZEN4, here)) {
      out.printf(
          Locale.ROOT,
          "%s: FMA %.0f GFLOP/s, L1 %.0f GB/s, L2 %.0f GB/s%n",
          p == Peaks.ZEN4
              ? "Peaks of one core of the reference Zen 4"
              : "measured here (fastest iterations)",
          p.flopsPerNs(),
          p.l1BytesPerNs(),
          p.l2BytesPerNs());
    }
    out.println();
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (String batch : List.of("1", "64")) {
      for (String shapeAndBatch : shapes(times, batch)) {
        rows.put(shapeAndBatch, new LinkedHashMap<>());
      }
    }
    StringBuilder header = new StringBuilder("| shape | batch | bound |");
    StringBuilder rule = new StringBuilder("|---|---|---|");
    for (String c : CONTENDERS) {
      header.append(' ').append(c).append(" |");
      rule.append("---|");
    }
    if (here != null) {
      header.append(" bound here | vector, share here | vector, fastest tenth, share here |");
      rule.append("---|---|---|");
    }
    boolean withAlloc = !allocs.isEmpty();
    if (withAlloc) {
      header.append(" alloc B/key (vector, scalar) |");
      rule.append("---|");
    }
    out.println(header);
    out.println(rule);
    for (String shapeAndBatch : rows.keySet()) {
      String[] sb = shapeAndBatch.split(",");
      Shape shape = Shape.parse(sb[0]);
      int batch = Integer.parseInt(sb[1]);
      double bound = shape.boundNanos(batch, Peaks.ZEN4);
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "| %s | %s | %.3f |", sb[0], sb[1], bound / 1000));
      for (String c : CONTENDERS) {
        List<Double> t = times.get(c + "," + shapeAndBatch);
        if (t == null) {
          line.append(" – |");
        } else {
          double ns = median(t);
          line.append(String.format(Locale.ROOT, " %s (%.0f%%) |", micros(ns), 100 * bound / ns));
        }
      }
      if (here != null) {
        double boundHere = shape.boundNanos(batch, here);
        List<Double> t = times.get("vector," + shapeAndBatch);
        line.append(String.format(Locale.ROOT, " %.3f |", boundHere / 1000));
        if (t == null) {
          line.append(" – | – |");
        } else {
          double fast = fastestTenth(t);
          line.append(String.format(Locale.ROOT, " %.0f%% |", 100 * boundHere / median(t)))
              .append(
                  String.format(
                      Locale.ROOT, " %s (%.0f%%) |", micros(fast), 100 * boundHere / fast));
        }
      }
      if (withAlloc) {
        line.append(
            String.format(
                Locale.ROOT,
                " %s, %s |",
                bytes(allocs.get("vector," + shapeAndBatch)),
                bytes(allocs.get("scalar," + shapeAndBatch))));
      }
      out.println(line);
    }
    out.println();
    out.println("Raw scores of every run: target/bench-step.csv");
  }

  /**
   * The batched step's phases per shape (medians, µs per key), their sum beside the whole step, and
   * the affine map's share of its own FLOP bound: the peak measured here where PeakBench ran, else
   * the reference Zen 4's.
   */
  private static void printPhases(
      PrintStream out,
      Map<String, List<Double>> phases,
      Map<String, List<Double>> times,
      Peaks here) {
    Map<String, Map<String, List<Double>>> byShape = byShape(phases, PHASES);
    if (byShape.isEmpty()) {
      return;
    }
    Peaks peaks = here == null ? Peaks.ZEN4 : here;
    out.println();
    out.printf(
        Locale.ROOT,
        "Batch %d, the vector kernel's phases (PhaseBench), µs per key; the affine map's bound at"
            + " %s FMA peak (%.0f GFLOP/s)%n%n",
        StepBench.BATCH,
        here == null ? "the reference Zen 4's" : "this machine's",
        peaks.flopsPerNs());
    out.println(
        "| shape | gather | affine | gates | head | sum | whole step | affine bound | affine share"
            + " | affine, fastest tenth, share |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, Map<String, List<Double>>> e : byShape.entrySet()) {
      Shape shape = Shape.parse(e.getKey());
      double bound = shape.affineFlops() / peaks.flopsPerNs();
      StringBuilder line = new StringBuilder("| " + e.getKey() + " |");
      appendPhases(line, e.getValue(), PHASES, times.get("vector," + e.getKey() + ",64"));
      appendShares(line, bound, e.getValue().get("affine"));
      out.println(line);
    }
  }

  /**
   * The batch-1 step's phases per shape (medians, µs), their sum beside the whole step, the affine
   * map's share of the time its weights take to read (from L1 where they fit, else from L2), and
   * the gates' time as a share of the whole step's bound.
   */
  private static void printOneKeyPhases(
      PrintStream out,
      Map<String, List<Double>> phases,
      Map<String, List<Double>> times,
      Peaks here) {
    Map<String, Map<String, List<Double>>> byShape = byShape(phases, ONE_KEY_PHASES);
    if (byShape.isEmpty()) {
      return;
    }
    Peaks peaks = here == null ? Peaks.ZEN4 : here;
    out.println();
    out.printf(
        Locale.ROOT,
        "Batch 1, the vector kernel's phases (PhaseBench), µs; the affine map's bound: its weights"
            + " read once at %s peaks (L1 %.0f GB/s, L2 %.0f GB/s)%n%n",
        here == null ? "the reference Zen 4's" : "this machine's",
        peaks.l1BytesPerNs(),
        peaks.l2BytesPerNs());
    out.println(
        "| shape | affine | gates | sum | whole step | affine bound | affine share"
            + " | affine, fastest tenth, share | gates / step bound |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, Map<String, List<Double>>> e : byShape.entrySet()) {
      Shape shape = Shape.parse(e.getKey());
      double bound = Shape.readNanos(shape.affineWeightBytes(), peaks);
      Map<String, List<Double>> ns = e.getValue();
      StringBuilder line = new StringBuilder("| " + e.getKey() + " |");
      appendPhases(line, ns, ONE_KEY_PHASES, times.get("vector," + e.getKey() + ",1"));
      appendShares(line, bound, ns.get("affineOne"));
      List<Double> gates = ns.get("gatesOne");
      line.append(
          gates == null
              ? " – |"
              : String.format(
                  Locale.ROOT, " %.0f%% |", 100 * median(gates) / shape.boundNanos(1, peaks)));
      out.println(line);
    }
  }

  /** shape -> phase -> iteration scores, for these phases only, by hidden size then inputs. */
  private static Map<String, Map<String, List<Double>>> byShape(
      Map<String, List<Double>> phases, List<String> names) {
    Map<String, Map<String, List<Double>>> byShape =
        new TreeMap<>(StepBenchMain::byHiddenThenInputs);
    for (Map.Entry<String, List<Double>> e : phases.entrySet()) {
      String[] shapeAndPhase = e.getKey().split(",");
      if (names.contains(shapeAndPhase[1])) {
        byShape
            .computeIfAbsent(shapeAndPhase[0], k -> new LinkedHashMap<>())
            .put(shapeAndPhase[1], e.getValue());
      }
    }
    return byShape;
  }

  /** The phases' medians, their sum and the whole step's median, as table cells. */
  private static void appendPhases(
      StringBuilder line, Map<String, List<Double>> ns, List<String> names, List<Double> step) {
    double sum = 0;
    for (String phase : names) {
      List<Double> t = ns.get(phase);
      line.append(t == null ? " – |" : " " + micros(median(t)) + " |");
      sum += t == null ? Double.NaN : median(t);
    }
    line.append(Double.isNaN(sum) ? " – |" : " " + micros(sum) + " |")
        .append(step == null ? " – |" : " " + micros(median(step)) + " |");
  }

  /** The affine map's bound, and its share of it for the median and for the fastest tenth. */
  private static void appendShares(StringBuilder line, double bound, List<Double> affine) {
    line.append(String.format(Locale.ROOT, " %.3f |", bound / 1000));
    if (affine == null) {
      line.append(" – | – |");
      return;
    }
    double fast = fastestTenth(affine);
    line.append(String.format(Locale.ROOT, " %.0f%% |", 100 * bound / median(affine)))
        .append(String.format(Locale.ROOT, " %s (%.0f%%) |", micros(fast), 100 * bound / fast));
  }

  private static int byHiddenThenInputs(String a, String b) {
    Shape x = Shape.parse(a);
    Shape y = Shape.parse(b);
    return x.hidden() != y.hidden()
        ? Integer.compare(x.hidden(), y.hidden())
        : Integer.compare(x.inputs(), y.inputs());
  }

  private static List<String> shapes(Map<String, List<Double>> times, String batch) {
    List<String> shapes = new ArrayList<>();
    for (String key : times.keySet()) {
      String[] parts = key.split(",");
      String shapeAndBatch = parts[1] + "," + parts[2];
      if (parts[2].equals(batch) && !shapes.contains(shapeAndBatch)) {
        shapes.add(shapeAndBatch);
      }
    }
    shapes.sort((a, b) -> byHiddenThenInputs(a.split(",")[0], b.split(",")[0]));
    return shapes;
  }

  private static String micros(double ns) {
    return ns >= 10_000
        ? String.format(Locale.ROOT, "%.0f", ns / 1000)
        : String.format(Locale.ROOT, ns >= 1000 ? "%.2f" : "%.3f", ns / 1000);
  }

  private static String bytes(List<Double> values) {
    return values == null ? "–" : String.format(Locale.ROOT, "%.1f", median(values));
  }

  /**
   * The score that a tenth of the iterations beat or match: what the code does while the machine's
   * other work leaves it alone, without resting on a single iteration.
   */
  static double fastestTenth(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v[Math.max(0, (int) Math.ceil(v.length / 10.0) - 1)];
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
