package io.flinklstm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The command-line reference, {@code docs/cli.md}: the help of every command, as the executable
 * prints it. {@code CliReferenceTest} keeps the committed file equal to what the code says; {@link
 * #main} writes it anew after a change to the options.
 */
final class CliReference {
  static final Path FILE = Path.of("docs", "cli.md");

  private CliReference() {}

  /** Renders the reference of every command, depth first in the order the commands are declared. */
  static String render() {
    CommandLine root = new CommandLine(new FlinkLstm());
    StringBuilder out = new StringBuilder();
    out.append("# Command-line reference\n\n")
        .append("Every command of `flink-lstm` with its options and defaults, as `--help` prints")
        .append(" them.\n")
        .append("A test compares this file with the code; after changing an option, run\n")
        .append("`scripts/generate-cli-docs.sh`.\n");
    appendCommand(root, out);
    return out.toString();
  }

  private static void appendCommand(CommandLine command, StringBuilder out) {
    out.append("\n## ")
        .append(command.getCommandSpec().qualifiedName())
        .append("\n\n```text\n")
        .append(command.getUsageMessage(Ansi.OFF).stripTrailing())
        .append("\n```\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        appendCommand(sub, out);
      }
    }
  }

  public static void main(String[] args) throws IOException {
    Path target = args.length > 0 ? Path.of(args[0]) : FILE;
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, render(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target);
  }
}
