package io.flinklstm.cli;

/** What events carry and so what kind of model learns them: values or symbols. */
enum InputKind {
  /** Numbers per event: a numeric model. */
  VALUES,
  /** One symbol per event: a categorical (next-symbol) model. */
  SYMBOLS
}
