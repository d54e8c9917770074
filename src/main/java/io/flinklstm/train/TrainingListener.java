package io.flinklstm.train;

/** Told about every update of a training run, on the training thread; keep it cheap. */
@FunctionalInterface
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = progress -> {};

  void onStep(TrainingProgress progress);
}
