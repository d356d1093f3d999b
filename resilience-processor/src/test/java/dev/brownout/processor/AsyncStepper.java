package dev.brownout.processor;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The asynchronous counterpart of {@link Stepper}: interfaces the properties compile extend it too,
 * so the test calls their generated asynchronous methods directly.
 */
public interface AsyncStepper {

  CompletionStage<String> callAsync(Supplier<CompletionStage<String>> step);
}
