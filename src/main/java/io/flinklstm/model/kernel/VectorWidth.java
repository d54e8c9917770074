package io.flinklstm.model.kernel;

import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector species of this JVM, for the training kernels beside the step's: one width only
 * may be used in a JVM ({@link VectorKernel}). Touch it only where {@link Kernels#vectorAvailable}
 * holds.
 */
public final class VectorWidth {
  /** The species every vector kernel uses. */
  public static final VectorSpecies<Float> SPECIES = VectorKernel.S;

  /** Floats in one vector of {@link #SPECIES}. */
  public static final int LANES = SPECIES.length();

  private VectorWidth() {}
}
