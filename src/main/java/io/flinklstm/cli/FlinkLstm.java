package io.flinklstm.cli;

public final class FlinkLstm {
  public static void main(String[] args) {}
}
