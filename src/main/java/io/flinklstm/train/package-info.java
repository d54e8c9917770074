/**
 * Training: learning an {@link io.flinklstm.model.LstmModel}'s weights from recorded or streamed
 * sequences, and deciding whether a new model may replace the current one. Plain Java on the model
 * core, optionally ND4J; no Flink, no Kafka. The sidecar and the {@code train} command sit on top.
 *
 * <h2>For a streaming trainer</h2>
 *
 * <pre>{@code
 * SequenceStore store = new SequenceStore(inputSize, 4096, 50_000_000);   // K steps/key, float budget
 * ContinualTrainer trainer = new ContinualTrainer(
 *     "sensor", store, TrainerConfig.builder().steps(500).build(), new PromotionGate(0.01));
 *
 * trainer.observe(event.key(), event.values());          // consumer thread, every valid event
 *
 * TrainingRound round = trainer.round(current, now);     // worker thread, on schedule
 * log.info(round.decision().logLine());                   // one key=value line: decision, reason,
 * if (round.publish()) {                                  //   versions, both losses, margin
 *   publish(round.model());                               // version current + 1, metrics in header
 * }
 * }</pre>
 *
 * <h2>The parts</h2>
 *
 * <ul>
 *   <li>{@link io.flinklstm.train.SequenceStore}: the bounded per-key sample; {@link
 *       io.flinklstm.train.SequenceSet} and {@link io.flinklstm.train.Series}: an immutable
 *       snapshot or files read offline.
 *   <li>{@link io.flinklstm.train.TrainingData}: the split in time into training windows and
 *       held-out validation windows; {@link io.flinklstm.train.WindowSampler} draws batches.
 *   <li>{@link io.flinklstm.train.Trainer}: fresh ({@link io.flinklstm.train.Initializer}, {@link
 *       io.flinklstm.train.NormalizerFit}) or warm-started training, one {@link
 *       io.flinklstm.train.TrainingStep} per update ({@link io.flinklstm.train.Adam}, {@link
 *       io.flinklstm.train.GradientClipping}), producing a {@link io.flinklstm.train.Candidate}.
 *   <li>Categorical models: {@link io.flinklstm.train.CategoricalTrainer} (cross-entropy of the
 *       next symbol, same windows, Adam and clipping), {@link
 *       io.flinklstm.train.CategoricalInitializer} and {@link io.flinklstm.train.VocabularyBuilder}
 *       (a bounded vocabulary grown from the data).
 *   <li>{@link io.flinklstm.train.Evaluator}: validation and last-value baseline losses; {@link
 *       io.flinklstm.train.PromotionGate}: the publish-or-refuse rule and its {@link
 *       io.flinklstm.train.PromotionDecision}.
 * </ul>
 *
 * Everything is deterministic for a given seed and data, and no update ever leaves a weight that is
 * not finite.
 */
package io.flinklstm.train;
