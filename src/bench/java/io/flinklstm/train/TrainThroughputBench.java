package io.flinklstm.train;

import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.bptt.Parameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of our own kernels (docs/benchmarks.md, section 3), to set beside {@code
 * scripts/bench_train_torch.py}: one update is {@link TrainingStep#run} (forward and backward
 * through N windows of W steps, global-norm clipping, Adam) on a fixed batch of noisy sines, and
 * throughput is N·W sequence-steps per second. Compiled with {@code -Pbench}; run with {@code
 * scripts/bench-train.sh}.
 *
 * <p>Arguments: {@code --hidden 64 --inputs 8 --layers 1 --window 64 --batch 64 --steps 50 --runs 5
 * --warmup-steps 20}.
 */
public final class TrainThroughputBench {
  private TrainThroughputBench() {}

  public static void main(String[] args) {
    int hidden = intArg(args, "--hidden", 64);
    int inputs = intArg(args, "--inputs", 8);
    int layers = intArg(args, "--layers", 1);
    int window = intArg(args, "--window", 64);
    int batchSize = intArg(args, "--batch", 64);
    int steps = intArg(args, "--steps", 50);
    int runs = intArg(args, "--runs", 5);
    int warmup = intArg(args, "--warmup-steps", 20);
    TrainerConfig.Backend backend =
        TrainerConfig.Backend.valueOf(stringArg(args, "--backend", "kernels").toUpperCase());

    TrainerConfig config =
        TrainerConfig.builder()
            .hiddenSize(hidden)
            .layers(layers)
            .window(window)
            .burnIn(0)
            .batchSize(batchSize)
            .backend(backend)
            .build();
    Parameters params =
        Parameters.of(
            Initializer.fresh(
                ModelInfo.first("bench", Instant.EPOCH),
                Normalizer.identity(inputs),
                hidden,
                layers,
                1));
    WindowBatch batch = noisySines(batchSize, window, inputs, new SplittableRandom(1));
    TrainingStep step = new TrainingStep(params, config);
    for (int i = 0; i < warmup; i++) {
      step.run(batch);
    }
    List<Double> rates = new ArrayList<>();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int r = 0; r < runs; r++) {
      long allocated = threads.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      double loss = 0;
      for (int i = 0; i < steps; i++) {
        loss = step.run(batch).loss();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long bytesPerStep = (threads.getThreadAllocatedBytes(thread) - allocated) / steps;
      double rate = (double) batchSize * window * steps / seconds;
      rates.add(rate);
      System.out.printf(
          Locale.ROOT,
          "java run %d: %,.0f sequence-steps/s (%.2f ms per training step, %,d bytes allocated"
              + " per step, loss %.4f)%n",
          r + 1,
          rate,
          1000 * seconds / steps,
          bytesPerStep,
          loss);
    }
    Collections.sort(rates);
    System.out.printf(
        Locale.ROOT,
        "java %s H=%d D=%d L=%d W=%d N=%d: median %,.0f sequence-steps/s%n",
        step.kernelName(),
        hidden,
        inputs,
        layers,
        window,
        batchSize,
        rates.get(rates.size() / 2));
  }

  /** Sines of random phase and frequency per window and feature, plus 10% noise. */
  static WindowBatch noisySines(int n, int window, int inputs, SplittableRandom random) {
    WindowBatch batch = new WindowBatch(n, 0, window, inputs);
    for (int b = 0; b < n; b++) {
      for (int f = 0; f < inputs; f++) {
        double phase = random.nextDouble() * 6.28;
        double freq = 0.05 + random.nextDouble() * 0.2;
        for (int t = 0; t <= window; t++) {
          float v = (float) (Math.sin(t * freq + phase) + 0.1 * (2 * random.nextDouble() - 1));
          if (t < window) {
            batch.inputs()[b][t][f] = v;
          }
          if (t > 0) {
            batch.targets()[b][t - 1][f] = v;
          }
        }
      }
    }
    return batch;
  }

  private static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
