package io.flinklstm.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
 * The step as DL4J users would write it: a {@link MultiLayerNetwork} of an LSTM layer and an
 * identity {@link RnnOutputLayer}, advanced one time step by {@code rnnTimeStep}, which keeps the
 * recurrent state inside the network. Random weights: only the time matters here.
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
public class Dl4jStepBench {
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

  private MultiLayerNetwork one;
  private MultiLayerNetwork many;
  private INDArray input1;
  private INDArray input64;

  @Setup
  public void setUp() {
    Shape s = Shape.parse(shape);
    one = network(s);
    many = network(s);
    input1 = Nd4j.create(s.randomInputs(2, 1)).reshape(1, s.inputs(), 1);
    input64 =
        Nd4j.create(s.randomInputs(2, StepBench.BATCH)).reshape(StepBench.BATCH, s.inputs(), 1);
  }

  @Benchmark
  public INDArray batch1() {
    return one.rnnTimeStep(input1);
  }

  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public INDArray batch64() {
    return many.rnnTimeStep(input64);
  }

  private static MultiLayerNetwork network(Shape s) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new LSTM.Builder()
                    .nIn(s.inputs())
                    .nOut(s.hidden())
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(s.hidden())
                    .nOut(s.inputs())
                    .activation(Activation.IDENTITY)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}
