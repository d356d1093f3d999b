package dev.brownout.migration.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter whose value routes a {@link ShiftTo} call or samples an {@link
 * ExperimentWith} call: a {@code String}, {@code UUID}, {@code long}, {@code int}, {@code Long} or
 * {@code Integer} (a user, tenant or question id), so the same key always takes the same path.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface ShiftKey {}
