package io.flinklstm.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.flinklstm.model.Activation;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.TestModels;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched vector step allocates nothing once the JIT has compiled it, in fresh JVMs. On Java 17
 * this depends on {@link VectorKernel}'s priming of the operator profile: without it, about two
 * JVMs in five that log their compilations (as these do, which makes the race more frequent) box
 * every vector of the gate pass for the rest of their life.
 */
class VectorStepBoxingTest {
  private static final int JVMS = 4;
  private static final int KEYS = 64;
  private static final Pattern BYTES = Pattern.compile("bytes per key and step: (\\S+)");

  /** How long a JVM may take for C2 to compile the step before its allocation counts against it. */
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** How long a JVM whose step has stopped allocating goes on stepping before its last sample. */
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Batched steps per allocation sample. */
  private static final int SAMPLE = 200;

  @Test
  void batchedStepAllocatesNothingInFreshJvms(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < JVMS; i++) {
      Path log = dir.resolve("compilation-" + i + ".log");
      Process p =
          new ProcessBuilder(
                  List.of(
                      java,
                      "--add-modules",
                      "jdk.incubator.vector",
                      "-XX:+UnlockDiagnosticVMOptions",
                      "-XX:+LogCompilation",
                      "-XX:LogFile=" + log,
                      "-cp",
                      System.getProperty("java.class.path"),
                      VectorStepBoxingTest.class.getName()))
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("JVM %d ended", i).isTrue();
      assertThat(p.exitValue()).as("JVM %d's exit code; it printed:%n%s", i, output).isZero();
      Matcher m = BYTES.matcher(output);
      assertThat(m.find()).as("JVM %d printed its allocation:%n%s", i, output).isTrue();
      // Boxed, the step allocates kilobytes per key; compiled as it should be, nothing.
      assertThat(Double.parseDouble(m.group(1)))
          .as("JVM %d's bytes per key and step", i)
          .isLessThan(1);
    }
  }

  /**
   * A fresh JVM's part: steps 64 keys of an H = 32, D = 1 model until a sample of batched steps
   * allocates less than a byte per key and step or the deadline passes, then on for a while, and
   * prints what the last sample allocated per key and step.
   */
  public static void main(String[] args) {
    LstmModel model =
        TestModels.build(
            ModelInfo.first("boxing", TestModels.CREATED),
            new Normalizer(new float[] {0f}, new float[] {1f}),
            new int[] {32},
            new Activation[][] {{Activation.TANH, Activation.SIGMOID}});
    LstmKernel vector = Kernels.vectorOrNull();
    if (vector == null) {
      throw new IllegalStateException("run with --add-modules jdk.incubator.vector");
    }
    Stepper stepper = new Stepper(model, vector);
    LstmState[] states = new LstmState[KEYS];
    float[][] inputs = new float[KEYS][1];
    float[][] predictions = new float[KEYS][1];
    for (int b = 0; b < KEYS; b++) {
      states[b] = model.newState();
      inputs[b][0] = (float) Math.sin(b);
    }
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    long bytes;
    do {
      bytes = allocatedBySample(stepper, states, inputs, predictions, threads);
    } while (bytes >= SAMPLE * KEYS && System.nanoTime() < deadline);
    // A JVM that has got there keeps stepping a while, in case a later compilation boxes.
    long settled = System.nanoTime() + SETTLE_NANOS;
    while (bytes < SAMPLE * KEYS && System.nanoTime() < settled) {
      bytes = allocatedBySample(stepper, states, inputs, predictions, threads);
    }
    System.out.println("bytes per key and step: " + (double) bytes / (SAMPLE * KEYS));
  }

  private static long allocatedBySample(
      Stepper stepper,
      LstmState[] states,
      float[][] inputs,
      float[][] predictions,
      ThreadMXBean threads) {
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < SAMPLE; i++) {
      stepper.stepBatch(states, inputs, KEYS, predictions);
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
