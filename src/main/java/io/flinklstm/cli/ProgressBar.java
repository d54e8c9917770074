package io.flinklstm.cli;

import io.flinklstm.train.TrainingListener;
import io.flinklstm.train.TrainingProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on standard error: on a terminal, one line redrawn in place a few times a
 * second; otherwise (a log file, a pipe) a plain line at every tenth of the run, so logs stay short
 * and readable.
 *
 * <pre>
 * [##########----------]  1000/2000  loss 0.0412 (avg 0.0437)  182,340 seq-steps/s  eta 0:11
 * </pre>
 */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 20;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean live;
  private long lastDraw = Long.MIN_VALUE;
  private long nextTenth = 1;
  private boolean drawn;

  /**
   * @param live redraw one line in place (for a terminal) rather than print plain lines
   */
  ProgressBar(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  @Override
  public void onStep(TrainingProgress p) {
    boolean last = p.step() == p.totalSteps();
    if (live) {
      if (last || p.elapsedNanos() - lastDraw >= REDRAW_NANOS) {
        lastDraw = p.elapsedNanos();
        err.print("\r" + line(p));
        err.flush();
        drawn = true;
      }
    } else if (last || p.step() * 10 >= nextTenth * p.totalSteps()) {
      nextTenth = p.step() * 10 / p.totalSteps() + 1;
      err.println(line(p));
      err.flush();
    }
  }

  /** Ends the redrawn line, so that what follows starts on a line of its own. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }

  static String line(TrainingProgress p) {
    int filled = (int) (WIDTH * p.step() / Math.max(1, p.totalSteps()));
    double rate = p.sequenceStepsPerSecond();
    long etaSeconds =
        p.step() == 0
            ? 0
            : (long) ((double) p.elapsedNanos() / p.step() * (p.totalSteps() - p.step()) / 1e9);
    return String.format(
        Locale.ROOT,
        "[%s%s] %"
            + Long.toString(p.totalSteps()).length()
            + "d/%d  loss %.4g (avg %.4g)"
            + "  %,.0f seq-steps/s  eta %d:%02d%s",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        p.step(),
        p.totalSteps(),
        p.loss(),
        p.smoothedLoss(),
        rate,
        etaSeconds / 60,
        etaSeconds % 60,
        p.skippedSteps() > 0 ? "  skipped " + p.skippedSteps() : "");
  }
}
