/**
 * The javac annotation processor that turns Brownout's annotations into generated guarded classes,
 * checked when the code compiles.
 *
 * <h2>Stages</h2>
 *
 * <p>Each annotated type goes through three stages, each a class with one job: {@link
 * dev.brownout.processor.TypeReader} reads the annotations into an immutable {@link
 * dev.brownout.processor.GuardedType} and reports nothing; {@link dev.brownout.processor.Validator}
 * lists every mistake as a {@link dev.brownout.processor.Problem}, which the one {@link
 * dev.brownout.processor.ErrorReporter} prints on the offending element; {@link
 * dev.brownout.processor.GuardedClassWriter} writes the class with JavaPoet, and runs only when
 * validation found nothing. Which attribute becomes which line of the generated {@code GuardSpec}
 * is one table, {@link dev.brownout.processor.Annotations}. A method that migrates to a new
 * implementation ({@code @ExperimentWith}, {@code @ShiftTo}) is read, checked and written by {@link
 * dev.brownout.processor.Migration} and {@link dev.brownout.processor.MigrationWriter} instead of
 * as a guard.
 *
 * <h2>Incremental builds</h2>
 *
 * <p>{@code META-INF/gradle/incremental.annotation.processors} declares the processor
 * <em>isolating</em> to Gradle, which is what it is: each generated class comes from one annotated
 * type, passed to the {@code Filer} as its only originating element, and is decided by what that
 * type's source reaches (its members, supertypes, and the annotations on them); the processor reads
 * no resource and writes no file that gathers several types. So Gradle recompiles a generated class
 * only when its own type (or what that type depends on) changes. <em>Aggregating</em> would be true
 * too, but slower: it would make Gradle reprocess every annotated type on any change.
 *
 * <h2>Errors</h2>
 *
 * <p>Every error starts with a stable identifier, such as {@code [BRO-RETRY-003]}; an identifier is
 * never reused for another mistake.
 *
 * <table>
 *   <caption>Errors the processor reports</caption>
 *   <tr><th>identifier</th><th>mistake</th></tr>
 *   <tr><td>BRO-TYPE-001</td><td>an annotated enum, record or annotation type</td></tr>
 *   <tr><td>BRO-TYPE-002</td><td>a final guarded class</td></tr>
 *   <tr><td>BRO-TYPE-003</td><td>a private guarded type</td></tr>
 *   <tr><td>BRO-TYPE-004</td><td>a guarded inner (non-static nested) class</td></tr>
 *   <tr><td>BRO-TYPE-005</td><td>a guarded local or anonymous class</td></tr>
 *   <tr><td>BRO-TYPE-006</td><td>a guarded class without a non-private constructor without parameters</td></tr>
 *   <tr><td>BRO-TYPE-007</td><td>a public final method in a guarded class</td></tr>
 *   <tr><td>BRO-TYPE-008</td><td>an annotated type none of whose methods is guarded</td></tr>
 *   <tr><td>BRO-TYPE-009</td><td>a type that mentions a type no source or processor defines</td></tr>
 *   <tr><td>BRO-METHOD-001</td><td>an annotated private method</td></tr>
 *   <tr><td>BRO-METHOD-002</td><td>an annotated static method</td></tr>
 *   <tr><td>BRO-METHOD-003</td><td>an annotated final method</td></tr>
 *   <tr><td>BRO-METHOD-004</td><td>an annotated method of a class that is not public</td></tr>
 *   <tr><td>BRO-NAME-001</td><td>two annotations of one method that set different guard names</td></tr>
 *   <tr><td>BRO-NAME-002</td><td>two methods of one type with the same guard name</td></tr>
 *   <tr><td>BRO-VALUE-001</td><td>a value the runtime would refuse (a range, a duration)</td></tr>
 *   <tr><td>BRO-VALUE-002</td><td>values valid alone that the runtime refuses together (a {@code @Timeout} with neither a duration nor a deadline, a {@code maxDuration} within the retry's wait)</td></tr>
 *   <tr><td>BRO-RETRY-001</td><td>{@code abortOn} naming an error or a rejection, which are never retried (a rejection only through {@code retryOnRejection})</td></tr>
 *   <tr><td>BRO-RETRY-002</td><td>{@code abortOn} covering a whole {@code retryOn} entry</td></tr>
 *   <tr><td>BRO-RETRY-003</td><td>{@code abortOn} outside every {@code retryOn} entry</td></tr>
 *   <tr><td>BRO-FALLBACK-001</td><td>{@code @Fallback} without a policy to fall back from</td></tr>
 *   <tr><td>BRO-FALLBACK-002</td><td>{@code @Fallback} setting both {@code on} and {@code applyOn}</td></tr>
 *   <tr><td>BRO-FALLBACK-003</td><td>{@code skipOn} covering a whole handled type</td></tr>
 *   <tr><td>BRO-FALLBACK-004</td><td>{@code skipOn} outside every handled type</td></tr>
 *   <tr><td>BRO-FALLBACK-005</td><td>no method of the fallback's name</td></tr>
 *   <tr><td>BRO-FALLBACK-006</td><td>no method of the fallback's name that fits (parameters, result, exceptions)</td></tr>
 *   <tr><td>BRO-RECOVER-001</td><td>{@code @Recover(place)} blank</td></tr>
 *   <tr><td>BRO-RECOVER-002</td><td>{@code @Recover} without a method on a method that returns a value</td></tr>
 *   <tr><td>BRO-RECOVER-003</td><td>no method of the recovery method's name</td></tr>
 *   <tr><td>BRO-RECOVER-004</td><td>no method of the recovery method's name that fits</td></tr>
 *   <tr><td>BRO-DEGRADABLE-001</td><td>a feature name that is not dotted lower-case words</td></tr>
 *   <tr><td>BRO-DEGRADABLE-002</td><td>{@code lastGood} on a method that returns nothing</td></tr>
 *   <tr><td>BRO-DEGRADABLE-003</td><td>{@code lastGoodMaxEntries} under 1</td></tr>
 *   <tr><td>BRO-DEGRADABLE-004</td><td>{@code lastGoodMaxAge} not a positive duration</td></tr>
 *   <tr><td>BRO-DEGRADABLE-005</td><td>no method of the degraded feature's fallback name</td></tr>
 *   <tr><td>BRO-DEGRADABLE-006</td><td>no method of the degraded feature's fallback name that fits</td></tr>
 *   <tr><td>BRO-MIGRATION-001</td><td>{@code @ExperimentWith} or {@code @ShiftTo} without the {@code migration} module on the classpath</td></tr>
 *   <tr><td>BRO-MIGRATION-002</td><td>{@code @ExperimentWith} and {@code @ShiftTo} on one method</td></tr>
 *   <tr><td>BRO-MIGRATION-003</td><td>a migrated method the generated class cannot override, or one that is asynchronous or generic</td></tr>
 *   <tr><td>BRO-MIGRATION-004</td><td>a migrated method that also carries a guard policy</td></tr>
 *   <tr><td>BRO-MIGRATION-005</td><td>no method of the new path's name</td></tr>
 *   <tr><td>BRO-MIGRATION-006</td><td>no method of the new path's name that fits (parameters, result, exceptions, an annotation of its own)</td></tr>
 *   <tr><td>BRO-MIGRATION-007</td><td>no key parameter for a shift, a key of another type, or several candidates unmarked</td></tr>
 *   <tr><td>BRO-MIGRATION-008</td><td>a value out of range (feature or shift name, percent, timeout, noise, steps, epoch) or a lane with {@code onCallerThread}</td></tr>
 *   <tr><td>BRO-WRITE-001</td><td>the generated file could not be written</td></tr>
 * </table>
 */
package dev.brownout.processor;
