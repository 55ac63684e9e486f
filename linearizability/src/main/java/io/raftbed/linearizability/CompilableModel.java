package io.raftbed.linearizability;

import java.util.List;

/**
 * A model that can translate a partition into an int-encoded {@link CompiledModel} for the
 * search. Built-in models implement it; user models go through {@link GenericCompiled}.
 */
interface CompilableModel {
  /**
   * Compiles the operations of one partition (indexes into {@code partition} are the op numbers
   * of the compiled model).
   *
   * @throws IllegalArgumentException if an operation is not understood
   */
  CompiledModel compile(List<Operation> partition);
}
