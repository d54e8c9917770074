package io.flinklstm.model.kernel;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;

/**
 * The phases of the vector kernel's step, one at a time, for the phase benchmark. Batched:
 * gathering the keys' inputs, the affine map, the gates and state update, and the dense head, each
 * on the scratch the others leave, as in {@link Stepper#stepBatch}. For one key (the first): the
 * affine map and the gates. Lives in the model package because the kernel is package-private.
 */
public final class KernelPhases {
  private final LstmLayer layer;
  private final DenseLayer head;
  private final int keys;
  private final float[][] inputs;
  private final float[][] hs;
  private final float[][] cs;
  private final float[][] predictions;
  private final float[] z;
  private final float[] oneZ;

  /**
   * Phases for a one-layer model and one input row per key (normalised units), after one whole step
   * so that the scratch holds real pre-activations.
   *
   * @throws IllegalArgumentException for a stacked model, or without the vector module
   */
  public KernelPhases(LstmModel model, float[][] inputs) {
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
      hs[b] = state.h();
      cs[b] = state.c();
    }
    this.z = new float[kernel.scratchSize(layer, keys)];
    kernel.stepBatch(layer, inputs, 0, hs, cs, 0, keys, z);
    this.oneZ = new float[kernel.scratchSize(layer, 1)];
    kernel.step(layer, inputs[0], 0, hs[0], cs[0], 0, oneZ);
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

  public void affineOne() {
    VectorKernel.affineOne(layer, oneZ);
  }

  public void gatesOne() {
    VectorStepGates.update(layer, oneZ, 0, 1, 0, cs[0], hs[0], 0);
  }
}
