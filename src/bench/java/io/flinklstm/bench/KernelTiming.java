package io.flinklstm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How our kernels are timed, shared by {@link StepBench} and {@link PhaseBench} (JMH reads these
 * annotations from the superclass), so that the phases are measured as the whole step they are set
 * beside.
 *
 * <p>Eight warm-up iterations: on a busy two-core machine C2 needs several seconds for the vector
 * kernel, and until then a step takes milliseconds (Vector API code that is not yet compiled
 * allocates every vector). Fifty measurement iterations of 100 ms rather than five of a second: on
 * a shared machine the neighbours' load comes and goes within a second, and the step slows with it
 * (here the batched affine map took up to twice as long in some 20 ms slices as in others, while a
 * loop of FMAs kept its speed), so {@link StepBenchMain} shows the fastest tenth of the iterations
 * beside their median.
 *
 * <p>One fork per benchmark, so results of models whose weights fit in L1 differ between runs by
 * where the JVM happens to put the packed weights: if their vector loads are aligned, the batch-1
 * step is faster (see {@link PeakBench}). Of sixteen H = 32, D = 8 layers stepped in one JVM, five
 * took 280 to 296 ns and eleven 333 to 379.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 50, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@Threads(1)
public abstract class KernelTiming {}
