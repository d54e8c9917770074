package io.flinklstm.train;

import java.time.Duration;

/**
 * What a training run did.
 *
 * @param steps updates attempted
 * @param skippedSteps updates skipped because the loss, the gradient or the result was not finite
 * @param trainLoss the mean batch loss over the last tenth of the updates (at least one), in the
 *     model's normalised units; NaN when there were no steps
 * @param validationLoss the trained model's loss on the validation windows, in its normalised
 *     units; NaN when there are none
 * @param baselineLoss the same for predicting the last value, the loss to beat; NaN likewise
 * @param sequenceSteps sequence-steps trained on: steps × N × W
 * @param elapsed wall-clock time of the run
 * @param warmStart whether the run started from a parent model
 */
public record TrainingReport(
    long steps,
    long skippedSteps,
    double trainLoss,
    double validationLoss,
    double baselineLoss,
    long sequenceSteps,
    Duration elapsed,
    boolean warmStart) {}
