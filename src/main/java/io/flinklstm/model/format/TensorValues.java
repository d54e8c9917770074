package io.flinklstm.model.format;

import io.flinklstm.model.format.ModelFileSummary.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 tensors of a model file, decoded by name in the order the tensor table lists them,
 * every value checked to be finite.
 */
final class TensorValues {
  private final Map<String, float[]> values = new HashMap<>();
  private final Map<String, List<Integer>> shapes = new HashMap<>();

  private TensorValues() {}

  /**
   * Decodes the tensors that start at {@code offset}; the caller has checked that they are all
   * present.
   *
   * @throws ModelFileException naming the tensor, the index and the file offset of a NaN or
   *     infinity
   */
  static TensorValues decode(byte[] file, int offset, List<Tensor> tensors)
      throws ModelFileException {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    TensorValues out = new TensorValues();
    int at = offset;
    for (Tensor t : tensors) {
      float[] v = new float[Math.toIntExact(t.elements())];
      for (int k = 0; k < v.length; k++) {
        v[k] = in.getFloat(at);
        if (!Float.isFinite(v[k])) {
          throw new ModelFileException(
              "tensor "
                  + t.name()
                  + " holds "
                  + v[k]
                  + " at "
                  + index(t.shape(), k)
                  + " (file offset "
                  + at
                  + "); model values must be finite");
        }
        at += Float.BYTES;
      }
      out.values.put(t.name(), v);
      out.shapes.put(t.name(), t.shape());
    }
    return out;
  }

  /** A one-dimensional tensor. */
  float[] vector(String name) {
    return values.get(name);
  }

  /** A two-dimensional tensor as rows. */
  float[][] matrix(String name) {
    float[] flat = values.get(name);
    List<Integer> shape = shapes.get(name);
    int rows = shape.get(0);
    int cols = shape.get(1);
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /** "[r, c]" for a flat index into a row-major tensor of that shape. */
  private static String index(List<Integer> shape, int flat) {
    if (shape.size() == 1) {
      return "[" + flat + "]";
    }
    int cols = shape.get(1);
    return "[" + flat / cols + ", " + flat % cols + "]";
  }
}
