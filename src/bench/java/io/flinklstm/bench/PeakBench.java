package io.flinklstm.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peaks of one core of the machine the step benchmark runs on, measured in the same run so that
 * the step's share of its bound is taken against this machine rather than against the figures of
 * docs/benchmarks.md: the float32 FMA rate of a loop of independent chains, and the read bandwidth
 * of an array that stays in L1 and of one that stays in L2.
 *
 * <p>Scores are nanoseconds per vector FMA and per pass over an array; {@link StepBenchMain} turns
 * them into GFLOP/s (with the preferred vector length, which this benchmark uses) and GB/s, from
 * the fastest iteration of all forks: a peak is what the core can do, and other work on a shared
 * machine only takes from it. Iterations are short, so that some fall between the neighbours'
 * bursts, and there are two forks, so that no peak rests on one JVM's compiled code.
 *
 * <p>The L1 pass starts where its vectors are aligned to their own size. On the Zen 3 core this was
 * written on, unaligned vector loads from L1 ran at 103 GB/s and aligned ones at 175 (half of the
 * unaligned loads cross a cache line). A Java array's data is only 8-byte aligned, at a place the
 * allocator and the collector choose, so {@link #alignL1} finds the aligned start by timing each.
 * From L2, alignment made no difference there; nor did it to the batched affine map, which loads
 * one weight vector per four FMAs. It does to the batch-1 affine map of a model whose weights fit
 * in L1, which loads one per FMA: at H = 32, D = 8 it ran 23 to 30 per cent faster when the packed
 * weights happened to be aligned than when they were not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 20, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 2,
    jvmArgs = {"--add-modules", "jdk.incubator.vector"})
@Threads(1)
public class PeakBench {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** FMA steps of each of the twelve chains: more chains than FMA latency × pipes on x86 cores. */
  private static final int STEPS = 1024;

  private static final int CHAINS = 12;

  /** Floats read per pass: 16 KB stays in any L1d, 256 KB in any L2 of 512 KB or more. */
  static final int L1_FLOATS = 4 * 1024;

  static final int L2_FLOATS = 64 * 1024;

  private static final int ALIGNMENT_ROUNDS = 20;

  private static final int ALIGNMENT_PASSES = 200;

  /** Vectors summed side by side, so that the adds' latency does not limit the loads. */
  private static final int LANES_OF_SUMS = 8;

  /** Where {@link #alignL1} leaves its sums, so that they are not dropped as dead code. */
  public float alignmentSink;

  private float multiplier;
  private float addend;
  private float[] l1;
  private float[] l2;

  /** Where the L1 pass starts in {@link #l1}, which has a vector of slack. */
  private int l1Start;

  @Setup
  public void setUp() {
    multiplier = 0.999f;
    addend = 0.001f;
    l1 = filled(L1_FLOATS + S.length());
    l2 = filled(L2_FLOATS);
  }

  /**
   * Finds the start of the L1 pass whose loads are aligned: of the starts 8 bytes apart (where a
   * Java array's data may begin) within one vector, the fastest in 20 rounds of 200 passes each.
   * Before every iteration, as a collection may have moved the array.
   */
  @Setup(Level.Iteration)
  public void alignL1() {
    long best = Long.MAX_VALUE;
    float sink = 0;
    for (int start = 0; start < S.length(); start += 2) {
      for (int round = 0; round < ALIGNMENT_ROUNDS; round++) {
        long t0 = System.nanoTime();
        for (int pass = 0; pass < ALIGNMENT_PASSES; pass++) {
          sink += sum(l1, start, L1_FLOATS);
        }
        long t = System.nanoTime() - t0;
        if (t < best) {
          best = t;
          l1Start = start;
        }
      }
    }
    alignmentSink = sink;
  }

  /**
   * Per vector FMA. Each chain is the addend, {@code c = m·a + c}: C2 then accumulates in place.
   * Written {@code c = c·m + a}, the addend is the constant, every FMA needs a copy of it, and the
   * unrolled loop spills chains to the stack: that form measured 65 to 85 per cent of the peak.
   */
  @Benchmark
  @OperationsPerInvocation(CHAINS * STEPS)
  public float fma() {
    FloatVector m = FloatVector.broadcast(S, multiplier);
    FloatVector a = FloatVector.broadcast(S, addend);
    FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a;
    FloatVector c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
    for (int i = 0; i < STEPS; i++) {
      c0 = m.fma(a, c0);
      c1 = m.fma(a, c1);
      c2 = m.fma(a, c2);
      c3 = m.fma(a, c3);
      c4 = m.fma(a, c4);
      c5 = m.fma(a, c5);
      c6 = m.fma(a, c6);
      c7 = m.fma(a, c7);
      c8 = m.fma(a, c8);
      c9 = m.fma(a, c9);
      c10 = m.fma(a, c10);
      c11 = m.fma(a, c11);
    }
    return c0.add(c1)
        .add(c2.add(c3))
        .add(c4.add(c5))
        .add(c6.add(c7))
        .add(c8.add(c9))
        .add(c10.add(c11))
        .reduceLanes(VectorOperators.ADD);
  }

  /** One pass over an array in L1. */
  @Benchmark
  public float readL1() {
    return sum(l1, l1Start, L1_FLOATS);
  }

  /** One pass over an array in L2. */
  @Benchmark
  public float readL2() {
    return sum(l2, 0, L2_FLOATS);
  }

  /** The sum of x[from, from + n), n a multiple of {@link #LANES_OF_SUMS} vectors. */
  private static float sum(float[] x, int from, int n) {
    int l = S.length();
    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
    FloatVector s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    for (int i = from; i < from + n; i += LANES_OF_SUMS * l) {
      s0 = s0.add(FloatVector.fromArray(S, x, i));
      s1 = s1.add(FloatVector.fromArray(S, x, i + l));
      s2 = s2.add(FloatVector.fromArray(S, x, i + 2 * l));
      s3 = s3.add(FloatVector.fromArray(S, x, i + 3 * l));
      s4 = s4.add(FloatVector.fromArray(S, x, i + 4 * l));
      s5 = s5.add(FloatVector.fromArray(S, x, i + 5 * l));
      s6 = s6.add(FloatVector.fromArray(S, x, i + 6 * l));
      s7 = s7.add(FloatVector.fromArray(S, x, i + 7 * l));
    }
    return s0.add(s1)
        .add(s2.add(s3))
        .add(s4.add(s5))
        .add(s6.add(s7))
        .reduceLanes(VectorOperators.ADD);
  }

  private static float[] filled(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i % 7) * 0.25f;
    }
    return x;
  }
}
