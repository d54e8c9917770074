package io.flinklstm.model;

/**
 * The phases of the vector kernel's batched step, one at a time, for the phase benchmark: gathering
 * the keys' inputs, the affine map, the gates and state update, and the dense head. Each runs on
 * the scratch the others leave, as in {@link Stepper#stepBatch}; lives in the model package because
 * the kernel is package-private.
 */
public final class BatchPhases {
  private final LstmLayer layer;
  private final DenseLayer head;
  private final int keys;
  private final float[][] inputs;
  private final float[][] hs;
  private final float[][] cs;
  private final float[][] predictions;
  private final float[] z;

  /**
   * Phases for a one-layer model and one input row per key (normalised units), after one whole step
   * so that the scratch holds real pre-activations.
   *
   * @throws IllegalArgumentException for a stacked model, or without the vector module
   */
  public BatchPhases(LstmModel model, float[][] inputs) {
    if (model.layers().size() != 1) {
      throw new IllegalArgumentException("phases are timed on a one-layer model");
    }
    VectorKernel kernel = (VectorKernel) Kernels.vectorOrNull();
    if (kernel == null) {
      throw new IllegalArgumentException("run with --add-modules jdk.incubator.vector");
    }
    this.layer = model.layers().get(0);
    this.head = model.head();
    this.keys = inputs.length;
    this.inputs = inputs;
    this.hs = new float[keys][];
    this.cs = new float[keys][];
    this.predictions = new float[keys][head.stride()];
    for (int b = 0; b < keys; b++) {
      LstmState state = model.newState();
      hs[b] = state.h;
      cs[b] = state.c;
    }
    this.z = new float[kernel.scratchSize(layer, keys)];
    kernel.stepBatch(layer, inputs, 0, hs, cs, 0, keys, z);
  }

  public void gather() {
    VectorKernel.gatherBatch(layer, inputs, 0, hs, 0, keys, z);
  }

  public void affine() {
    VectorKernel.affineBatch(layer, keys, z);
  }

  public void gates() {
    VectorKernel.gatesBatch(layer, hs, cs, 0, keys, z);
  }

  public void head() {
    VectorDense.denseBatch(head, hs, 0, keys, predictions);
  }
}
