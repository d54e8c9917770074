package io.flinklstm.bench;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.BenchKernels;
import io.flinklstm.model.kernel.Stepper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Our per-event step: {@link Stepper#step} (normalise, LSTM layer, dense head) for one key, and
 * {@link Stepper#stepBatch} for {@value #BATCH} keys, on the vector and the scalar kernel. Scores
 * are per step per key. Timed as {@link KernelTiming} says.
 */
public class StepBench extends KernelTiming {
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
