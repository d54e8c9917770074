#!/usr/bin/env bash
# Writes the golden files of a new format version (model file, key state, a savepoint) under
# src/test/resources/golden/. Files that exist are kept: a released version's bytes never change.
#
#   scripts/golden-files.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/test.classpath

classpath="target/test-classes:target/classes:$(cat target/test.classpath)"
java -cp "$classpath" io.flinklstm.model.format.GoldenModelFiles src/test/resources
java -cp "$classpath" io.flinklstm.job.GoldenKeyStates src/test/resources
java --add-modules jdk.incubator.vector -cp "$classpath" io.flinklstm.job.GoldenSavepoint src/test/resources
