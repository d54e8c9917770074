package io.flinklstm.importer;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One named array read from a {@code .npy} file or an {@code .npz} entry: its NumPy dtype, its
 * shape and, for float32 and float64 arrays, its values as float32 in row-major (C) order.
 *
 * <p>Arrays of other dtypes are kept with their header only, so that an archive holding, say, an
 * integer step counter next to the weights still loads; asking for such an array's values is
 * refused by {@link WeightArrays} with a message that names the dtype.
 */
public final class NpyArray {
  private final String name;
  private final String dtype;
  private final int[] shape;
  private final float[] values;

  /**
   * @param dtype NumPy's type string, for instance {@code <f4}
   * @param values row-major values, or null where the dtype is not a float type
   */
  NpyArray(String name, String dtype, int[] shape, float[] values) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape.clone();
    this.values = values;
  }

  public String name() {
    return name;
  }

  /** NumPy's type string as written in the file, for instance {@code <f4} or {@code <i8}. */
  public String dtype() {
    return dtype;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Whether the values were read: true for float32 and float64. */
  public boolean isFloat() {
    return values != null;
  }

  /** The values in row-major order, or null for a non-float dtype; the live array. */
  float[] values() {
    return values;
  }

  /** The shape as NumPy prints it: {@code (3, 64)}, {@code (64,)}, {@code ()}. */
  public String shapeString() {
    return describe(shape);
  }

  /** The dtype in words, for messages: {@code int64 ('<i8')}. */
  public String dtypeString() {
    return NpyReader.dtypeName(dtype) + " ('" + dtype + "')";
  }

  static String describe(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    return Arrays.stream(shape)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "(", ")"));
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeString();
  }
}
