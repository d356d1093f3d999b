/**
 * Migrations from an old implementation of a call to a new one: an experiment runs the new path
 * beside the old one and judges each pair, while the caller always gets the old path's answer.
 */
@NullMarked
package dev.brownout.migration;

import org.jspecify.annotations.NullMarked;
