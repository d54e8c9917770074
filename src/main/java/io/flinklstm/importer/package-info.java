/**
 * Importers for LSTM weights trained in other frameworks: Keras ({@link
 * io.flinklstm.importer.KerasImporter}) and PyTorch ({@link
 * io.flinklstm.importer.PyTorchImporter}), read from NumPy {@code .npz} archives or directories of
 * {@code .npy} files ({@link io.flinklstm.importer.WeightArrays}).
 *
 * <p>This package sits at the edge: it depends on {@code model} and never on Flink or Kafka.
 */
package io.flinklstm.importer;
