package io.flinklstm.cli;

import picocli.CommandLine;

/** Reports the version Maven wrote into the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = FlinkLstm.class.getPackage().getImplementationVersion();
    return new String[] {"flink-lstm " + (version == null ? "(development build)" : version)};
  }
}
