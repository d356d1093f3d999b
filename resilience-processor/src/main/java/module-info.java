/**
 * The annotation processor that turns Brownout's annotations into generated guarded classes. It
 * exports nothing: javac finds it as a service, on the processor path (through {@code
 * META-INF/services}) or on the processor module path (through this descriptor).
 */
// "requires-automatic": JavaPoet publishes only an automatic module name.
@SuppressWarnings("requires-automatic")
module dev.brownout.processor {
  requires java.compiler;
  requires dev.brownout.core;
  requires com.palantir.javapoet;

  provides javax.annotation.processing.Processor with
      dev.brownout.processor.GuardProcessor;
}
