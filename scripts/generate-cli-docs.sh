#!/usr/bin/env bash
# Writes docs/cli.md, the reference of every command and option, from the code.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
cp_file=target/cli-docs.classpath
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -DincludeScope=test
java -cp "target/test-classes:target/classes:$(cat "$cp_file")" io.flinklstm.cli.CliReference docs/cli.md
