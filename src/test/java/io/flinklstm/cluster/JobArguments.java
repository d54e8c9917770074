package io.flinklstm.cluster;

import io.flinklstm.cli.JobMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Whether a deployment's arguments for the job jar are options the job accepts. */
final class JobArguments {
  private JobArguments() {}

  /**
   * Runs the job jar's main class as a cluster would, with {@code --help} after the arguments: it
   * parses every option, then prints its help instead of running the job.
   *
   * @return what it printed
   * @throws IllegalArgumentException when an argument is not an option of the job, or malformed
   */
  static String parseWithHelp(List<String> args) throws Exception {
    List<String> withHelp = new ArrayList<>(args);
    withHelp.add("--help");
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JobMain.main(withHelp.toArray(String[]::new));
    } finally {
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
