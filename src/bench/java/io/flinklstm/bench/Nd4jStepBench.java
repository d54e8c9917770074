package io.flinklstm.bench;

import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * The same step written on ND4J INDArrays as one would for a batch: [x h] in one matrix, one GEMM
 * against the stacked [Wx; Wh] into a preallocated z, the bias added in place, the gates in place
 * on column views, then the head's GEMM. Nothing is reallocated that ND4J lets us preallocate, so
 * this is ND4J at its best, not a strawman. Run with {@code OMP_NUM_THREADS=1} (one core).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgs = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@Threads(1)
public class Nd4jStepBench {
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

  private Batch one;
  private Batch many;

  @Setup
  public void setUp() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Shape s = Shape.parse(shape);
    LstmModel model = s.randomModel(1);
    one = new Batch(model, s.randomInputs(2, 1));
    many = new Batch(model, s.randomInputs(2, StepBench.BATCH));
  }

  @Benchmark
  public INDArray batch1() {
    return one.step();
  }

  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public INDArray batch64() {
    return many.step();
  }

  /** The weights as INDArrays and the buffers of one batch of keys. */
  static final class Batch {
    private final INDArray w;
    private final INDArray b;
    private final INDArray headW;
    private final INDArray headB;
    private final INDArray input;
    private final INDArray xh;
    private final INDArray x;
    private final INDArray h;
    private final INDArray c;
    private final INDArray z;
    private final INDArray inGate;
    private final INDArray forgetGate;
    private final INDArray candidate;
    private final INDArray outGate;
    private final INDArray y;

    Batch(LstmModel model, float[][] inputs) {
      LstmLayer layer = model.layers().get(0);
      int d = layer.inputSize();
      int hidden = layer.hiddenSize();
      int keys = inputs.length;
      w = Nd4j.vstack(Nd4j.create(layer.inputWeights()), Nd4j.create(layer.recurrentWeights()));
      b = Nd4j.create(layer.bias()).reshape(1, 4 * hidden);
      headW = Nd4j.create(model.head().weights());
      headB = Nd4j.create(model.head().bias()).reshape(1, d);
      input = Nd4j.create(inputs);
      xh = Nd4j.zeros(DataType.FLOAT, keys, d + hidden);
      x = xh.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
      h = xh.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + hidden));
      c = Nd4j.zeros(DataType.FLOAT, keys, hidden);
      z = Nd4j.zeros(DataType.FLOAT, keys, 4 * hidden);
      inGate = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden));
      forgetGate = z.get(NDArrayIndex.all(), NDArrayIndex.interval(hidden, 2 * hidden));
      candidate = z.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * hidden, 3 * hidden));
      outGate = z.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * hidden, 4 * hidden));
      y = Nd4j.zeros(DataType.FLOAT, keys, d);
    }

    INDArray step() {
      x.assign(input);
      Nd4j.gemm(xh, w, z, false, false, 1.0, 0.0);
      z.addiRowVector(b);
      Transforms.sigmoid(inGate, false);
      Transforms.sigmoid(forgetGate, false);
      Transforms.tanh(candidate, false);
      Transforms.sigmoid(outGate, false);
      c.muli(forgetGate).addi(inGate.muli(candidate));
      h.assign(outGate.muli(Transforms.tanh(c, true)));
      Nd4j.gemm(h, headW, y, false, false, 1.0, 0.0);
      return y.addiRowVector(headB);
    }
  }
}
