package io.flinklstm.cli;

import io.flinklstm.demo.DatasetConfig;
import io.flinklstm.demo.SyntheticDataset;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.job.SwapPolicy;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.KafkaClientProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces of {@code flink-lstm demo}: the synthetic numeric dataset, the job's scoring and the
 * sidecar's numeric training, from the demo's resolved options.
 *
 * @param data the dataset
 * @param detector the job's detector
 * @param coldStart what events before the first model do
 * @param hidden the LSTM's hidden size
 * @param stepsPerRound optimiser updates per training round
 * @param trainEveryEvents a round after this many events; 0 for 400 per key
 * @param time the time inputs of the models the sidecar trains
 */
record NumericDemo(
    DatasetConfig data,
    DetectorConfig detector,
    ColdStartPolicy coldStart,
    int hidden,
    int stepsPerRound,
    long trainEveryEvents,
    TimeFeatures time) {

  LocalPipelineConfig pipeline(
      Path work, String bootstrapServers, KafkaClientProperties kafkaProperties) {
    return LocalPipelineConfig.builder(work, data.channels())
        .kafka(bootstrapServers, "demo")
        .kafkaProperties(kafkaProperties)
        .scoring(
            ScoringConfig.builder("default")
                .detector(detector)
                .swapPolicy(SwapPolicy.REWARM)
                .coldStart(coldStart, data.eventsPerKey())
                .build())
        .trainer(
            TrainerConfig.builder()
                .hiddenSize(hidden)
                .window(48)
                .burnIn(16)
                .batchSize(32)
                .learningRate(3e-3)
                .steps(stepsPerRound)
                .build())
        .trainEvery(trainEveryEvents > 0 ? trainEveryEvents : 400L * data.keys(), Duration.ZERO)
        .time(time)
        .build();
  }

  /** Every key's events, interleaved in time order, as the replay sends them. */
  static List<Event> events(SyntheticDataset dataset) throws Exception {
    List<Event> events = new ArrayList<>();
    dataset.forEachInTimeOrder((k, ts, v) -> events.add(new Event(k, ts, v.clone(), null)));
    return events;
  }
}
