package io.flinklstm.model;

/**
 * A model a model file can hold: a numeric next-vector predictor ({@link LstmModel}) or a
 * next-symbol predictor ({@link CategoricalModel}). Both keep a key's recurrent state in an {@link
 * LstmState}, so a key's state is stored the same way whichever kind scores it.
 */
public sealed interface SequenceModel permits LstmModel, CategoricalModel {

  ModelInfo info();

  /** Floats in each of a state's h and c arrays. */
  int stateSize();

  /** A zero state, as at a sequence's start. */
  LstmState newState();
}
