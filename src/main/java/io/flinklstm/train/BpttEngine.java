package io.flinklstm.train;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.bptt.Parameters;

/**
 * The arithmetic of truncated BPTT on one batch, as {@link io.flinklstm.model.bptt.Bptt} defines
 * it: the model core's own kernels, or ND4J ({@link Nd4jBptt}). {@link TrainerConfig#backend()}
 * chooses; both pass the same gradient check.
 */
interface BpttEngine {

  /** For logs and benchmarks, e.g. {@code vector-512} or {@code nd4j}. */
  String name();

  /** Runs x from the states without loss or caches, leaving the final states (a burn-in). */
  void advance(float[][][] x, LstmState[] states);

  /** Runs the chunk, keeps what backward needs, returns the MSE and leaves the final states. */
  double forward(float[][][] x, float[][][] target, LstmState[] states);

  /** Accumulates the last forward's parameter gradients into {@code grads}. */
  void backward(Parameters grads);

  /** The engine for a backend, over these parameters (read by every forward). */
  static BpttEngine create(TrainerConfig.Backend backend, Parameters params) {
    switch (backend) {
      case ND4J:
        return new Nd4jBptt(params);
      case KERNELS:
      default:
        io.flinklstm.model.bptt.Bptt bptt = new io.flinklstm.model.bptt.Bptt(params);
        bptt.computeInputGradients(false);
        return new BpttEngine() {
          @Override
          public String name() {
            return bptt.kernelName();
          }

          @Override
          public void advance(float[][][] x, LstmState[] states) {
            bptt.advance(x, states);
          }

          @Override
          public double forward(float[][][] x, float[][][] target, LstmState[] states) {
            return bptt.forward(x, target, states);
          }

          @Override
          public void backward(Parameters grads) {
            bptt.backward(grads);
          }
        };
    }
  }
}
