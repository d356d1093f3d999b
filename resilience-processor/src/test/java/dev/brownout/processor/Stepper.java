package dev.brownout.processor;

import java.util.concurrent.Callable;

/**
 * The shape of the interfaces the properties compile: they extend this, so the test calls their
 * generated classes directly rather than by reflection.
 */
public interface Stepper {

  String call(Callable<String> step) throws Exception;
}
