package io.flinklstm.job;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.Stepper;

/** A decoded model as one subtask serves it, with the scratch buffers its steps use. */
final class ServedModel {
  final LstmModel model;
  final Stepper stepper;

  /** The current event in normalised units. */
  final float[] input;

  /** A raw input recalled from a key's ring. */
  final float[] recalled;

  ServedModel(LstmModel model) {
    this.model = model;
    this.stepper = model.newStepper();
    this.input = new float[model.inputSize()];
    this.recalled = new float[model.inputSize()];
  }

  String name() {
    return model.info().name();
  }

  long version() {
    return model.info().version();
  }
}
