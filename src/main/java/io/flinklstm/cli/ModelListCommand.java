package io.flinklstm.cli;

import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.format.ModelFileSummary;
import io.flinklstm.sidecar.ModelTopic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model list}: every model version the models topic holds, read as the job reads
 * it (committed records, from the beginning), and per name the version the job serves.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the model versions the models topic holds, as the job reads them: one line per"
          + " record (name, version, parent, created, format, size, signature, metrics), then per"
          + " name the version the job serves, the newest that reads (and, with"
          + " --model-public-key, that is signed by one of the keys)."
    })
final class ModelListCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ModelsTopicOptions kafka;

  @Option(
      names = "--model-public-key",
      paramLabel = "FILE",
      description =
          "A public key the job trusts (repeatable): signatures are checked against these, and"
              + " only versions signed by one of them count as served.")
  List<Path> publicKeys = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<PublicKey> keys = ModelFiles.readPublicKeys(publicKeys);
    List<ModelTopic.Entry> entries = kafka.topic().entries(keys);
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Long> served = new TreeMap<>();
    for (ModelTopic.Entry e : entries) {
      String at = e.partition() + ":" + e.offset();
      if (e.summary() == null) {
        out.printf(Locale.ROOT, "%s %s unreadable: %s%n", at, quoted(e.name()), e.problem());
        continue;
      }
      ModelFileSummary s = e.summary();
      ModelInfo info = s.model().info();
      boolean trusted = keys.isEmpty() || s.signature() == ModelFileSummary.SignatureStatus.VALID;
      boolean keyed = info.name().equals(e.name());
      if (trusted && keyed) {
        served.merge(info.name(), info.version(), Math::max);
      }
      out.printf(
          Locale.ROOT,
          "%s %s version %d parent %d created %s format %d %d bytes signature %s%s%s%s%n",
          at,
          quoted(info.name()),
          info.version(),
          info.parentVersion(),
          info.created(),
          s.formatVersion(),
          s.sizeBytes(),
          s.signature().name().toLowerCase(Locale.ROOT),
          s.signerFingerprint() == null ? "" : " " + s.signerFingerprint(),
          keyed ? "" : " (under key " + quoted(e.name()) + ": the job refuses it)",
          metrics(info));
    }
    if (entries.isEmpty()) {
      out.println("topic '" + kafka.modelsTopic + "' holds no model");
    }
    served.forEach(
        (name, version) ->
            out.printf(Locale.ROOT, "serves %s version %d%n", quoted(name), version));
    out.flush();
    return 0;
  }

  private static String metrics(ModelInfo info) {
    StringBuilder s = new StringBuilder();
    info.metrics()
        .forEach(
            (k, v) ->
                s.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.6g", v)));
    return s.toString();
  }

  private static String quoted(String name) {
    return name == null ? "(no key)" : "'" + name + "'";
  }
}
