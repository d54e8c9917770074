package io.flinklstm.job;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.model.kernel.SymbolStepper;

/**
 * A decoded model as one subtask serves it, with the scratch buffers its steps use: either a
 * numeric model ({@link #model}, {@link #stepper}) or a categorical one ({@link #categorical},
 * {@link #symbolStepper}); the other pair is null.
 */
final class ServedModel {
  /** The numeric model; null when this serves a categorical one. */
  final LstmModel model;

  final Stepper stepper;

  /** The categorical model; null when this serves a numeric one. */
  final CategoricalModel categorical;

  final SymbolStepper symbolStepper;

  /**
   * The current step in normalised units (numeric models): the event's values, then its time inputs
   * ({@link LstmModel#stepSize()}).
   */
  final float[] input;

  /** A raw input recalled from a key's ring (numeric models). */
  final float[] recalled;

  /** The current event scaled by its key's statistics, before the normaliser (numeric models). */
  final float[] scaled;

  private final SequenceModel any;

  ServedModel(SequenceModel served) {
    this.any = served;
    if (served instanceof CategoricalModel c) {
      this.model = null;
      this.stepper = null;
      this.categorical = c;
      this.symbolStepper = SymbolStepper.of(c);
      this.input = new float[0];
      this.recalled = new float[0];
      this.scaled = new float[0];
    } else {
      LstmModel m = (LstmModel) served;
      this.model = m;
      this.stepper = Stepper.of(m);
      this.categorical = null;
      this.symbolStepper = null;
      this.input = new float[m.stepSize()];
      this.recalled = new float[m.inputSize()];
      this.scaled = new float[m.inputSize()];
    }
  }

  /** Whether this model scores symbol events. */
  boolean isCategorical() {
    return categorical != null;
  }

  /** What events this model takes, for messages. */
  String kind() {
    return isCategorical() ? "categorical (symbol events)" : "numeric (values events)";
  }

  String name() {
    return any.info().name();
  }

  long version() {
    return any.info().version();
  }
}
