package io.flinklstm.bench;

import io.flinklstm.model.BenchKernels;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.Stepper;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our per-event step: {@link Stepper#step} (normalise, LSTM layer, dense head) for one key, and
 * {@link Stepper#stepBatch} for {@value #BATCH} keys, on the vector and the scalar kernel. Scores
 * are per step per key.
 *
 * <p>Eight warm-up iterations: on a busy two-core machine C2 needs several seconds for the vector
 * kernel, and until then a step takes milliseconds (Vector API code that is not yet compiled
 * allocates every vector). Fifty measurement iterations of 100 ms rather than five of a second: on
 * a shared machine the neighbours' load comes and goes within a second, and the step slows with it
 * (here the batched affine map took up to twice as long in some 20 ms slices as in others, while a
 * loop of FMAs kept its speed), so {@link StepBenchMain} shows the fastest tenth of the iterations
 * beside their median.
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
public class StepBench {
  static final int BATCH = 64;

  @Param({
    "H32/D1",
    "H32/D8",
    "H32/D38",
    "H64/D1",
    "H64/D8",
    "H64/D38",
    "H128/D1",
    "H128/D8",
    "H128/D38"
  })
  public String shape;

  @Param({"vector", "scalar"})
  public String kernel;

  private Stepper stepper;
  private LstmState state;
  private float[] input;
  private LstmState[] states;
  private float[][] inputs;
  private float[][] predictions;

  @Setup
  public void setUp() {
    Shape s = Shape.parse(shape);
    LstmModel model = s.randomModel(1);
    stepper = BenchKernels.stepper(model, kernel);
    state = model.newState();
    inputs = s.randomInputs(2, BATCH);
    input = inputs[0];
    states = new LstmState[BATCH];
    predictions = new float[BATCH][s.inputs()];
    for (int b = 0; b < BATCH; b++) {
      states[b] = model.newState();
    }
  }

  @Benchmark
  public float[] batch1() {
    return stepper.step(state, input);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float[][] batch64() {
    stepper.stepBatch(states, inputs, BATCH, predictions);
    return predictions;
  }
}
